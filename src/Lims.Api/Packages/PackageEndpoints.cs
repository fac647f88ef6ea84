using System.Text.Json;
using Lims.Api;
using Lims.Auth;
using Lims.Cli;
using Lims.Documents;
using Lims.Errors;

namespace Lims.Packages;

/// <summary>
/// <c>GET /export/{specimens|blocks|rois|acquisitions}/{id}</c> streams a package (tar.gz, or zip by <c>?format=zip</c>
/// or <c>Accept: application/zip</c>); <c>POST /import</c> (admins) imports one, answering the result as JSON, or as
/// NDJSON progress lines followed by the result when the client accepts <c>application/x-ndjson</c>.
/// </summary>
public static class PackageEndpoints
{
    public const string NdjsonContentType = "application/x-ndjson";
    private static readonly TimeSpan _progressInterval = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection AddLimsPackages(this IServiceCollection services)
    {
        services.AddSingleton<PackageExporter>();
        services.AddSingleton<PackageImporter>();
        services.AddSingleton<ICliCommand, ExportCommand>();
        services.AddSingleton<ICliCommand, ImportCommand>();
        return services;
    }

    public static IEndpointRouteBuilder MapLimsPackages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/export/{root}/{id}", ExportAsync).WithTags("Packages").RequireAuthorization(LimsPolicies.Viewer)
            .WithSummary("A provenance package: the document, its lineage, everything beneath it, tiles as Parquet, reports, $metadata and a manifest.");
        app.MapPost("/import", ImportAsync).WithTags("Packages").RequireAuthorization(LimsPolicies.Admin)
            .WithSummary("Imports a package, all or nothing (?mode=skip-existing leaves documents stored with other content and reports them).");
        return app;
    }

    private static async Task ExportAsync(HttpContext http, string root, string id, string? format, PackageExporter exporter, CancellationToken ct)
    {
        var collection = PackageExporter.Roots.GetValueOrDefault(root)
            ?? throw ApiException.NotFound($"Packages are made of specimens, blocks, rois or acquisitions, not '{root}'.");
        var chosen = PackageFormats.Choose(format, http.Request.Headers.Accept.ToString());
        await using var export = await exporter.OpenAsync(collection, ParseKey(collection, id), ct);
        http.Response.ContentType = PackageFormats.ContentType(chosen);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.FileName(chosen)}\"";
        await export.WriteAsync(chosen, $"GET {http.Request.Path}{http.Request.QueryString}", http.Response.Body, null, ct);
    }

    public static object ParseKey(Collections.CollectionDefinition collection, string id) =>
        !collection.HasIntegerKey ? id
        : long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var key) ? key
        : throw ApiException.BadRequest($"{collection.EntitySet} keys are integers, not '{id}'.");

    private static async Task ImportAsync(HttpContext http, string? mode, PackageImporter importer, CancellationToken ct)
    {
        var skipExisting = mode switch
        {
            null or "" => false,
            "skip-existing" => true,
            _ => throw ApiException.BadRequest($"mode '{mode}' is unknown; the only mode is skip-existing."),
        };
        using var package = await PackageReader.OpenAsync(http.Request.Body, ct);
        var origin = new WriteOrigin(http.User.Identity?.Name ?? "anonymous", WriteSource.Import) { CorrelationId = http.TraceIdentifier };
        if (!http.Request.Headers.Accept.ToString().Contains(NdjsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            var result = await importer.ImportAsync(package, skipExisting, origin, null, ct);
            await Results.Json(result, PackageManifest.JsonOptions).ExecuteAsync(http);
            return;
        }

        // Progress is sampled, not pushed: the import runs undisturbed and the response gets a line every interval.
        http.Response.ContentType = NdjsonContentType;
        var latest = new LatestProgress();
        var import = importer.ImportAsync(package, skipExisting, origin, latest, ct);
        PackageProgress? sent = null;
        while (await Task.WhenAny(import, Task.Delay(_progressInterval, ct)) != import)
        {
            if (latest.Value is { } now && now != sent)
            {
                await WriteLineAsync(http, new { progress = now }, ct);
                sent = now;
            }
        }
        try
        {
            await WriteLineAsync(http, new { result = await import }, ct);
        }
        catch (Exception e) when (e is ApiException or System.Data.Common.DbException)
        {
            var (status, code, message, details) = ErrorHandling.Describe(e);
            await WriteLineAsync(http, new { error = new { status, code, message, details } }, ct);
        }
    }

    private static async Task WriteLineAsync(HttpContext http, object line, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(http.Response.Body, line, PackageManifest.JsonLineOptions, ct);
        await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private sealed class LatestProgress : IProgress<PackageProgress>
    {
        private PackageProgress? _value;

        public PackageProgress? Value => Volatile.Read(ref _value);

        public void Report(PackageProgress value) => Volatile.Write(ref _value, value);
    }
}
