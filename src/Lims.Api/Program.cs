using Lims.Api;
using Lims.Cli;
using Lims.Jobs;
using Lims.Storage;
using Lims.Workflow;

var builder = WebApplication.CreateBuilder(args);
builder.AddLimsLogging();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLimsStorage(builder.Configuration);
builder.Services.AddLimsOData(builder.Configuration);
builder.Services.AddLimsApiDocs();
builder.Services.AddLimsCommands();
builder.Services.AddHostedService<StoreInitializer>();
builder.Services.AddLimsWorkflow(builder.Configuration);

var app = builder.Build();
if (CommandLine.CommandName(args) is { } command)
{
    return await CommandLine.RunAsync(app, command, args);
}

app.UseLimsRequestLogging();
app.UseLimsErrors();
app.MapLimsHealth();
app.MapLimsOData();
app.MapLimsJobs();
app.MapLimsApiDocs();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
