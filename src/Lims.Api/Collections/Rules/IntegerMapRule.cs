using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Lims.Validation;

namespace Lims.Collections.Rules;

/// <summary>A field that is a map of integers (an acquisition's sub_region).</summary>
public sealed class IntegerMapRule : AbstractValidator<JsonObject>
{
    public IntegerMapRule(string field)
    {
        RuleFor(doc => doc).Custom((doc, context) =>
        {
            if (doc[field] is not JsonObject map)
            {
                return;
            }
            foreach (var (key, value) in map)
            {
                if (value is null || value.GetValueKind() != JsonValueKind.Number || !FieldRules.IsInteger(value))
                {
                    FieldRules.Fail(context, $"{field}/{key}", "InvalidType", $"'{field}/{key}' must be a whole number.");
                }
            }
        });
    }
}
