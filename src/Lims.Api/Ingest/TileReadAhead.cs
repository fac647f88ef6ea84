using System.Text.Json.Nodes;
using System.Threading.Channels;
using Lims.Errors;
using Lims.Validation;

namespace Lims.Ingest;

/// <summary>
/// Reads and validates a request's tiles on a task of its own, a chunk ahead of the writer, so parsing and
/// validating the next tiles overlaps storing the previous ones. Whole chunks pass between the two tasks (one
/// hand-over per chunk, not per tile: the channel's lock is contended when taken per tile). Errors end the stream at
/// the first chunk that has any (nothing will be written, and the client learns sooner); <see cref="ReceivedAsync"/>
/// then throws them.
/// </summary>
public sealed class TileReadAhead : IAsyncDisposable
{
    public const int ErrorListLimit = 100;

    private readonly Channel<List<PreparedTile>> _channel;
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _reader;

    private TileReadAhead(Channel<List<PreparedTile>> channel, CancellationTokenSource stop, Func<Task<int>> read)
    {
        _channel = channel;
        _stop = stop;
        _reader = Task.Run(read, stop.Token);
    }

    public static TileReadAhead Start(IAsyncEnumerable<JsonObject> tiles, TilePreparer preparer, IngestOptions settings, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<List<PreparedTile>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new TileReadAhead(channel, stop, () => ReadAsync(tiles, preparer, settings, channel.Writer, stop.Token));
    }

    /// <summary>The request's valid tiles, chunk by chunk (of <see cref="IngestOptions.ChunkSize"/> tiles received).</summary>
    public IAsyncEnumerable<List<PreparedTile>> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);

    /// <summary>After <see cref="ReadAllAsync"/> ended: how many tiles the request held, or why it is refused.</summary>
    public Task<int> ReceivedAsync() => _reader;

    private static async Task<int> ReadAsync(IAsyncEnumerable<JsonObject> tiles, TilePreparer preparer, IngestOptions settings, ChannelWriter<List<PreparedTile>> writer, CancellationToken ct)
    {
        var errors = new List<ErrorDetail>();
        var chunk = new List<PreparedTile>(settings.ChunkSize);
        var received = 0;
        try
        {
            await foreach (var tile in tiles.WithCancellation(ct))
            {
                if (received == settings.MaxTilesPerRequest)
                {
                    throw new ApiException(413, "TooManyTiles", $"A request may carry at most {settings.MaxTilesPerRequest} tiles; split the batch.");
                }
                if (preparer.Prepare(tile, received, errors) is { } prepared && errors.Count == 0)
                {
                    chunk.Add(prepared);
                }
                received++;
                if (received % settings.ChunkSize == 0)
                {
                    ThrowIfInvalid(errors);
                    await writer.WriteAsync(chunk, ct);
                    chunk = new List<PreparedTile>(settings.ChunkSize);
                }
            }
            ThrowIfInvalid(errors);
            if (chunk.Count > 0)
            {
                await writer.WriteAsync(chunk, ct);
            }
            return received > 0 ? received : throw ApiException.BadRequest("The request holds no tiles.");
        }
        finally
        {
            writer.Complete();
        }
    }

    private static void ThrowIfInvalid(List<ErrorDetail> errors)
    {
        if (errors.Count > 0)
        {
            DocumentValidator.ThrowIfInvalid(errors.Take(ErrorListLimit).ToList(), "The request");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The writer failed or finished: stop reading. Whatever the reader threw then is moot, or was thrown by ReceivedAsync.
        await _stop.CancelAsync();
        await Task.WhenAny(_reader);
        _ = _reader.Exception;
        _stop.Dispose();
    }
}
