using Microsoft.Extensions.FileProviders;

namespace Lims.Web;

/// <summary>
/// Serves the technicians' and lab leads' pages: static HTML, CSS and JavaScript modules from Web/wwwroot,
/// the lab tree at <c>/</c> and the other pages at <c>/app/{page}</c>. The pages call only the public OData API.
/// </summary>
public static class WebPages
{
    public static WebApplication MapLimsWeb(this WebApplication app)
    {
        var root = FindRoot(app.Environment.ContentRootPath);
        if (root is null)
        {
            app.Logger.LogWarning("Web pages not found (Web/wwwroot beside the content root or the binary); serving the API only");
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.Use((context, next) =>
        {
            context.Request.Path = PageFile(context.Request.Path, files);
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // No build step means no hashed file names: let the browser revalidate (ETag) instead of caching stale modules.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    /// <summary>Maps the friendly page addresses onto their files; every other path passes unchanged.</summary>
    internal static PathString PageFile(PathString path, IFileProvider files)
    {
        if (path == "/" || path == "/app" || path == "/app/")
        {
            return "/index.html";
        }
        var value = path.Value ?? "";
        if (value.StartsWith("/app/", StringComparison.Ordinal) && !Path.HasExtension(value) && files.GetFileInfo(value + ".html").Exists)
        {
            return value + ".html";
        }
        return path;
    }

    /// <summary>
    /// Beside the content root when run from the source tree (dotnet run, tests), beside the binary when published
    /// and started from elsewhere.
    /// </summary>
    private static string? FindRoot(string contentRoot) =>
        new[] { Path.Combine(contentRoot, "Web", "wwwroot"), Path.Combine(AppContext.BaseDirectory, "Web", "wwwroot") }
            .FirstOrDefault(Directory.Exists);
}
