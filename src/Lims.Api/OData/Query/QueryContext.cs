using Lims.Errors;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>What compiling one request needs besides the tree: limits, the clock for now(), and the request's parameter aliases.</summary>
public sealed record QueryContext(ODataLimits Limits, TimeProvider Clock, IDictionary<string, SingleValueNode> Aliases)
{
    /// <summary>The context of a request, after checking the size limits that hold before any parsing.</summary>
    public static QueryContext For(ODataRequest request, ODataLimits limits, TimeProvider clock)
    {
        foreach (var (key, values) in request.Http.Request.Query)
        {
            var name = key.TrimStart('$');
            if ((name.Equals("filter", StringComparison.OrdinalIgnoreCase) || name.Equals("apply", StringComparison.OrdinalIgnoreCase))
                && values.Any(v => v?.Length > limits.MaxFilterLength))
            {
                throw ApiException.BadRequest($"${name.ToLowerInvariant()} is longer than the limit of {limits.MaxFilterLength} characters (OData:MaxFilterLength).");
            }
        }
        return new(limits, clock, request.Parser.ParameterAliasNodes ?? new Dictionary<string, SingleValueNode>());
    }
}
