using Lims.Api;
using Lims.Auth;
using Lims.Cli;
using Lims.Documents;
using Lims.Ingest;
using Lims.Jobs;
using Lims.OData.Protocol;
using Lims.Packages;
using Lims.Quality;
using Lims.Settings;
using Lims.Storage;
using Lims.Web;
using Lims.Workflow;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLimsSettings();
builder.AddLimsLogging();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLimsStorage(builder.Configuration);
builder.Services.AddLimsOData(builder.Configuration);
builder.Services.AddLimsApiDocs();
builder.Services.AddLimsCommands();
builder.Services.AddLimsIngest();
builder.Services.AddLimsWriteHooks();
builder.Services.AddLimsQuality(builder.Configuration);
builder.Services.AddLimsPackages();
builder.Services.AddHostedService<StoreInitializer>();
builder.Services.AddLimsWorkflow(builder.Configuration);
builder.Services.AddLimsAuth(builder.Configuration);

var app = builder.Build();
app.UseLimsRequestLogging();
app.UseLimsErrors();
app.UseLimsODataProtocol();
app.UseLimsAuth();
app.MapLimsHealth();
app.MapLimsAuth();
app.MapLimsOData();
app.MapLimsQuality();
app.MapLimsPackages();
app.MapLimsJobs();
app.MapLimsApiDocs();
app.MapLimsWeb();

// Commands run once every route is mapped, so that `openapi` describes them all.
if (CommandLine.CommandName(args) is { } command)
{
    return await CommandLine.RunAsync(app, command, args);
}
return await app.RunOrReportAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
