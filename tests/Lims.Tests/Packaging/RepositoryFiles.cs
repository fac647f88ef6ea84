namespace Lims.Tests.Packaging;

/// <summary>Files at the root of the repository (docker-compose.yml, Dockerfile, README.md, openapi/), found from the test's directory.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative)).ReplaceLineEndings("\n");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lims.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Lims.sln above {AppContext.BaseDirectory}.");
    }
}
