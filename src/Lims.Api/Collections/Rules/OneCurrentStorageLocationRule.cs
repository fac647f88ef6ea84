using System.Text.Json.Nodes;
using FluentValidation;
using Lims.Validation;

namespace Lims.Collections.Rules;

/// <summary>An acquisition's files are current in at most one storage location.</summary>
public sealed class OneCurrentStorageLocationRule : AbstractValidator<JsonObject>
{
    public OneCurrentStorageLocationRule()
    {
        RuleFor(doc => doc).Custom((doc, context) =>
        {
            if (doc["storage_locations"] is JsonArray locations &&
                locations.Count(l => l is JsonObject o && o["is_current"] is JsonValue v && v.TryGetValue<bool>(out var current) && current) > 1)
            {
                FieldRules.Fail(context, "storage_locations", "OutOfRange", "At most one storage location may have 'is_current' true.");
            }
        });
    }
}
