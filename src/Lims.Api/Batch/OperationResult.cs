namespace Lims.Batch;

/// <summary>What one operation of a batch answered: status, the headers worth passing on, and its body.</summary>
public sealed record OperationResult(string? ContentId, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public bool Succeeded => Status is >= 200 and < 400;

    public string? Location => Headers.FirstOrDefault(h => h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("OData-EntityId", StringComparison.OrdinalIgnoreCase)).Value;
}
