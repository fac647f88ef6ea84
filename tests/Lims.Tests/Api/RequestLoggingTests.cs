using System.Collections.Concurrent;
using System.Net;
using Lims.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Lims.Tests.Api;

/// <summary>Serilog's request logging: one line per request with the correlation id and the key's name; a 401 logs nothing more.</summary>
public sealed class RequestLoggingTests : IDisposable
{
    private readonly LimsApp _app;
    private readonly WebApplicationFactory<Program> _host;
    private readonly CapturedEvents _events = new();
    private const string RequestSource = "Serilog.AspNetCore.RequestLoggingMiddleware";

    public RequestLoggingTests()
    {
        var database = Path.Combine(Path.GetTempPath(), $"lims-test-{Guid.NewGuid():N}.db");
        _app = new LimsApp(StoreKind.Sqlite, $"Data Source={database}", new Dictionary<string, string?> { ["Serilog:MinimumLevel"] = "Information" });
        _host = _app.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(_events)));
    }

    [Fact]
    public async Task A_request_is_logged_once_with_its_correlation_id_and_the_key_name()
    {
        using var client = _host.CreateClient(); // LimsApp's clients send the admin key
        var reply = await client.GetJsonAsync("/odata/Specimens?$top=1", ("X-Correlation-Id", "log-test-1"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);

        var line = await _events.SingleAsync(e => Text(e, "CorrelationId") == "log-test-1" && Text(e, "SourceContext") == RequestSource);
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal("bootstrap-admin", Text(line, "KeyName"));
        Assert.Equal("/odata/Specimens", Text(line, "RequestPath"));
        Assert.Equal("200", line.Properties["StatusCode"].ToString());
    }

    [Fact]
    public async Task A_request_without_a_key_logs_its_401_line_and_no_challenge_message()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        var reply = await client.GetJsonAsync("/odata/Specimens", ("X-Correlation-Id", "log-test-401"));
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);

        var line = await _events.SingleAsync(e => Text(e, "CorrelationId") == "log-test-401" && Text(e, "SourceContext") == RequestSource);
        Assert.Equal("401", line.Properties["StatusCode"].ToString());
        Assert.Equal("-", Text(line, "KeyName"));
        Assert.DoesNotContain(_events.All, e => e.MessageTemplate.Text.Contains("was challenged", StringComparison.Ordinal));
    }

    private static string? Text(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;

    public void Dispose()
    {
        _host.Dispose();
        _app.Dispose();
    }

    /// <summary>Every event the service logs, kept for the test to read.</summary>
    private sealed class CapturedEvents : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> All => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

        /// <summary>The one matching event; the request line is written as the response completes, so it may trail the reply a little.</summary>
        public async Task<LogEvent> SingleAsync(Func<LogEvent, bool> match)
        {
            for (var attempt = 0; attempt < 100 && !_events.Any(match); attempt++)
            {
                await Task.Delay(50);
            }
            return Assert.Single(_events, e => match(e));
        }
    }
}
