using System.Reflection;
using Microsoft.Extensions.Options;

namespace Lims.Settings;

/// <summary>Turns a failed start-up validation into a message an operator reads, instead of a stack trace.</summary>
public static class InvalidSettings
{
    /// <summary>The process's exit code when the configuration is invalid.</summary>
    public const int ExitCode = 3;

    /// <summary>The problems behind a failed options validation (one section, or several at once).</summary>
    public static IReadOnlyList<string>? ProblemsIn(Exception exception) => exception switch
    {
        OptionsValidationException e => e.Failures.ToList(),
        AggregateException e when e.InnerExceptions.All(i => i is OptionsValidationException) =>
            e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList(),
        _ => null,
    };

    public static int Report(IReadOnlyList<string> problems, TextWriter error)
    {
        error.WriteLine("Lims cannot start: the configuration is invalid.");
        foreach (var problem in problems)
        {
            error.WriteLine($"  {problem}");
        }
        error.WriteLine("Settings come from appsettings.json, environment variables (Storage__Provider for Storage:Provider) and --Key=value arguments; see docs/operations.md.");
        return ExitCode;
    }

    /// <summary>Runs the server; invalid settings end the process with <see cref="ExitCode"/> and the problems on standard error.</summary>
    public static async Task<int> RunOrReportAsync(this WebApplication app)
    {
        try
        {
            // Validate before the host starts: the host would log the failure with stack traces first.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.RunAsync();
            return 0;
        }
        // Only when this binary is the process: a host that runs Program itself (the test host) must see the
        // exception, since a Main that returns is to it a Main that started the service.
        catch (Exception e) when (ProblemsIn(e) is { } problems && Assembly.GetEntryAssembly() == typeof(InvalidSettings).Assembly)
        {
            return Report(problems, Console.Error);
        }
    }
}
