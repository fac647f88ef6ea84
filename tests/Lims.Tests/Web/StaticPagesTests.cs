using System.Net;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Web;

/// <summary>How the pages are served: friendly addresses, module content types, revalidation, the API untouched.</summary>
public sealed class StaticPagesTests(SqliteStore store) : IClassFixture<SqliteStore>
{
    [Theory]
    [InlineData("/", "text/html", "id=\"tree\"")]
    [InlineData("/app/cutting", "text/html", "id=\"section-form\"")]
    [InlineData("/app/cutting.html", "text/html", "id=\"section-form\"")]
    [InlineData("/app/tasks", "text/html", "data-page=\"tasks\"")]
    [InlineData("/app/api.js", "text/javascript", "export async function createDocument")]
    [InlineData("/app/lims.css", "text/css", ".tree-page")]
    public async Task Pages_and_modules_are_served_with_their_types_and_revalidated(string path, string mediaType, string content)
    {
        using var response = await store.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, $"{path} should be revalidated, since file names carry no version");
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/app/no-such-page")]
    [InlineData("/app/../appsettings.json")]
    [InlineData("/Lims.Api.dll")]
    public async Task Anything_else_is_not_found(string path)
    {
        using var response = await store.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_API_is_not_shadowed_by_the_pages()
    {
        var reply = await store.Client.GetJsonAsync("/odata/Specimens?$top=1");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.NotNull(reply.Object["value"]);
    }
}
