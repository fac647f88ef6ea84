using System.Text.Json.Nodes;
using FluentValidation;
using Lims.Validation;

namespace Lims.Collections.Rules;

/// <summary>A tile's pixel statistics must be ordered: min ≤ mean ≤ max.</summary>
public sealed class PixelStatisticsRule : AbstractValidator<JsonObject>
{
    public PixelStatisticsRule()
    {
        RuleFor(tile => tile).Custom((tile, context) =>
        {
            var min = Number(tile, "min_value");
            var mean = Number(tile, "mean_value");
            var max = Number(tile, "max_value");
            if (min > mean)
            {
                FieldRules.Fail(context, "mean_value", "OutOfRange", "'mean_value' must not be less than 'min_value'.");
            }
            if (mean > max)
            {
                FieldRules.Fail(context, "mean_value", "OutOfRange", "'mean_value' must not be greater than 'max_value'.");
            }
            if (min > max)
            {
                FieldRules.Fail(context, "min_value", "OutOfRange", "'min_value' must not be greater than 'max_value'.");
            }
        });
    }

    private static double? Number(JsonObject doc, string name) =>
        doc[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
