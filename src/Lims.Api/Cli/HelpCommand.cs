namespace Lims.Cli;

/// <summary><c>help</c>: lists the commands the service binary runs.</summary>
public sealed class HelpCommand : ICliCommand
{
    public string Name => "help";
    public string Usage => "help                    list these commands";
    public bool NeedsValidSettings => false;

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        Console.WriteLine(Listing(services.GetServices<ICliCommand>()));
        return Task.FromResult(0);
    }

    public static string Listing(IEnumerable<ICliCommand> commands) =>
        "Usage: Lims.Api [command] [arguments] [--Section:Key=value ...]\n" +
        "Without a command the service starts and serves HTTP. Commands:\n" +
        string.Join("\n", commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Usage}")) + "\n" +
        "Settings (appsettings.json, environment variables such as Storage__ConnectionString, --Storage:ConnectionString=...) apply to every command.";
}
