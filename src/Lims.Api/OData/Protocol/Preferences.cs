using System.Globalization;

namespace Lims.OData.Protocol;

/// <summary>The <c>Prefer</c> header of a request, as far as Lims honours it.</summary>
public sealed record Preferences(int? MaxPageSize, string? Return, string? IncludeAnnotations, bool ContinueOnError)
{
    public static Preferences Of(HttpRequest request)
    {
        int? maxPageSize = null;
        string? returnKind = null, annotations = null;
        var continueOnError = false;
        foreach (var preference in request.Headers["Prefer"].SelectMany(h => (h ?? "").Split(',')))
        {
            var parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
            var name = parts[0].Split(';')[0].Trim();
            var value = parts.Length > 1 ? parts[1].Split(';')[0].Trim().Trim('"') : null;
            switch (name.ToLowerInvariant())
            {
                case "odata.maxpagesize" or "maxpagesize" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0:
                    maxPageSize = size;
                    break;
                case "return" when value is "minimal" or "representation":
                    returnKind = value;
                    break;
                case "odata.include-annotations" or "include-annotations" when value is { Length: > 0 }:
                    annotations = value;
                    break;
                case "odata.continue-on-error" or "continue-on-error":
                    continueOnError = value is null or "true";
                    break;
            }
        }
        return new Preferences(maxPageSize, returnKind, annotations, continueOnError);
    }

    public bool ReturnMinimal => Return == "minimal";

    /// <summary>Adds one applied preference to the response's <c>Preference-Applied</c> header.</summary>
    public static void Applied(HttpResponse response, string preference) => response.Headers.Append("Preference-Applied", preference);
}
