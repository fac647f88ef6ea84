using Lims.Settings;
using Microsoft.Extensions.Options;

namespace Lims.Cli;

public static class CommandLine
{
    /// <summary>The command named by the first argument, if it names one (--help and -h mean help); options such as --urls are left to the host.</summary>
    public static string? CommandName(string[] args) => args.Length == 0 ? null
        : args[0] is "--help" or "-h" ? "help"
        : !args[0].StartsWith('-') ? args[0] : null;

    /// <summary>Runs the named command and returns its exit code; unknown names print the list of commands.</summary>
    public static Task<int> RunAsync(WebApplication app, string name, string[] args)
    {
        // The host hands the app's routes to routing when it starts; a command runs on an unstarted host, so
        // UseEndpoints hands them over here (for `openapi` to describe them). The pipeline itself never serves.
        app.UseRouting();
        app.UseEndpoints(_ => { });
        return RunAsync(app.Services, name, args);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string name, string[] args)
    {
        var commands = services.GetServices<ICliCommand>().ToList();
        var command = commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{name}'.\n" + HelpCommand.Listing(commands));
            return 2;
        }
        try
        {
            if (command.NeedsValidSettings)
            {
                // The host is not started for a command, so its start-up validation has to be asked for.
                services.GetService<IStartupValidator>()?.Validate();
            }
            return await command.RunAsync(services, args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal) || !a.Contains('=', StringComparison.Ordinal)).ToList(), CancellationToken.None);
        }
        catch (Exception e) when (InvalidSettings.ProblemsIn(e) is { } problems)
        {
            return InvalidSettings.Report(problems, Console.Error);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Errors.ApiException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"{name} failed: {e.Message}");
            return 1;
        }
    }

    public static IServiceCollection AddLimsCommands(this IServiceCollection services)
    {
        services.AddSingleton<ICliCommand, HelpCommand>();
        services.AddSingleton<ICliCommand, ConfigCommand>();
        services.AddSingleton<ICliCommand, MigrateCommand>();
        services.AddSingleton<ICliCommand, SeedCommand>();
        services.AddSingleton<ICliCommand, OpenApiCommand>();
        return services;
    }
}
