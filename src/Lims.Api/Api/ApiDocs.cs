namespace Lims.Api;

public static class ApiDocs
{
    public static IServiceCollection AddLimsApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new Microsoft.OpenApi.OpenApiInfo
            {
                Title = "Lims",
                Version = "v1",
                Description = "Lab acquisition tracking for serial-section EM. Every collection is an OData v4 entity set under /odata; " +
                              "$metadata describes the model, and the query options ($filter, $select, $orderby, $top, $skip, $count, ...) apply to every GET.",
            });
            options.DocumentFilter<CollectionPathsFilter>();
        });
        return services;
    }

    public static WebApplication MapLimsApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Lims API");
        return app;
    }
}
