namespace Lims.Cli;

public static class CommandLine
{
    /// <summary>The command named by the first argument, if it names one; options such as --urls are left to the host.</summary>
    public static string? CommandName(string[] args) => args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;

    /// <summary>Runs the named command and returns its exit code; unknown names print the list of commands.</summary>
    public static async Task<int> RunAsync(WebApplication app, string name, string[] args)
    {
        var commands = app.Services.GetServices<ICliCommand>().ToList();
        var command = commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{name}'. Commands:\n" + string.Join("\n", commands.Select(c => $"  {c.Usage}")));
            return 2;
        }
        try
        {
            return await command.RunAsync(app.Services, args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal) || !a.Contains('=', StringComparison.Ordinal)).ToList(), CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Errors.ApiException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"{name} failed: {e.Message}");
            return 1;
        }
    }

    public static IServiceCollection AddLimsCommands(this IServiceCollection services)
    {
        services.AddSingleton<ICliCommand, MigrateCommand>();
        services.AddSingleton<ICliCommand, SeedCommand>();
        return services;
    }
}
