using System.Globalization;
using Lims.Collections.Definitions;
using Lims.Documents;

namespace Lims.Workflow;

/// <summary>
/// The fallback QC rule, until a fuller evaluator is registered: every raster position of
/// acquisition_settings.raster (rows × cols) has a tile → qc-passed, otherwise → to be re-imaged.
/// Without a declared raster, any tile at all passes.
/// </summary>
public sealed class TileCountEvaluator(DocumentService documents) : IAcquisitionEvaluator
{
    public async Task<QcOutcome> EvaluateAsync(string acquisitionId, CancellationToken ct)
    {
        var (acquisition, present) = await documents.Store.ReadAsync(async session =>
        {
            var stored = await session.GetAsync(Acquisitions.Definition, acquisitionId, ct);
            await using var command = session.Command(
                $"SELECT COUNT(*), COUNT(DISTINCT raster_index) FROM {Tiles.Definition.Table} WHERE acquisition_id = @id", ("@id", acquisitionId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var all = reader.GetInt64(0);
            var distinct = reader.GetInt64(1);
            return (stored, distinct > 0 ? distinct : all);
        }, ct);
        var raster = acquisition?.Document["acquisition_settings"]?["raster"];
        var rows = raster?["rows"]?.GetValue<long>();
        var cols = raster?["cols"]?.GetValue<long>();
        if (rows is not { } r || cols is not { } c)
        {
            return present > 0
                ? new(AcquisitionStatus.QcPassed, $"{present} tiles; no raster declared to count against")
                : new(AcquisitionStatus.ToBeReimaged, "no tiles");
        }
        var expected = r * c;
        return present >= expected
            ? new(AcquisitionStatus.QcPassed, $"all {expected} tiles of the {r}×{c} raster are present")
            : new(AcquisitionStatus.ToBeReimaged, string.Create(CultureInfo.InvariantCulture, $"{expected - present} of {expected} tiles of the {r}×{c} raster are missing"));
    }
}
