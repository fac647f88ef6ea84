namespace Lims.Cli;

/// <summary>
/// A command the service binary runs instead of serving (<c>Lims.Api migrate</c>, <c>seed</c>, ...), so an
/// operator needs nothing but the binary and a connection string. Commands see the same configuration and services.
/// </summary>
public interface ICliCommand
{
    string Name { get; }

    string Usage { get; }

    /// <summary>Whether the settings must be valid before the command runs (false for commands that only describe, such as <c>help</c> and <c>config</c>).</summary>
    bool NeedsValidSettings => true;

    Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct);
}
