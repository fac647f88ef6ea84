using Lims.Api;
using Lims.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddLimsLogging();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLimsStorage(builder.Configuration);
builder.Services.AddLimsOData(builder.Configuration);
builder.Services.AddLimsApiDocs();
builder.Services.AddHostedService<StoreInitializer>();

var app = builder.Build();
app.UseLimsRequestLogging();
app.UseLimsErrors();
app.MapLimsHealth();
app.MapLimsOData();
app.MapLimsApiDocs();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
