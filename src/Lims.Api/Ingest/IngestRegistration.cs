using Lims.OData;

namespace Lims.Ingest;

public static class IngestRegistration
{
    /// <summary>Bulk tile ingest on <c>POST /odata/Acquisitions('A1')/tiles</c> and the tile roll-up hook.</summary>
    public static IServiceCollection AddLimsIngest(this IServiceCollection services)
    {
        services.AddSingleton<TileIngestService>();
        services.AddSingleton<IODataExtension, TileIngestExtension>();
        return services;
    }
}
