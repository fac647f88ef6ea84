using Lims.Errors;
using Lims.Storage;

namespace Lims.Documents;

public static class ETags
{
    /// <summary>412 unless <paramref name="ifMatch"/> is absent, <c>*</c>, or names the stored version.</summary>
    public static void Check(string? ifMatch, StoredDocument stored)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }
        var accepted = ifMatch.Split(',').Select(t => t.Trim()).Select(t => t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t);
        if (!accepted.Contains($"\"{stored.Version}\""))
        {
            throw ApiException.PreconditionFailed($"If-Match {ifMatch} does not match the current ETag {stored.ETag}; reload and try again.");
        }
    }
}
