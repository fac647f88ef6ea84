using System.Text.Json.Nodes;
using FluentValidation;
using Lims.Validation;

namespace Lims.Collections.Rules;

/// <summary>An end time, when present, is not before its start time.</summary>
public sealed class TimeOrderRule : AbstractValidator<JsonObject>
{
    public TimeOrderRule(string start, string end)
    {
        RuleFor(doc => doc).Custom((doc, context) =>
        {
            if (Time(doc, start) is { } from && Time(doc, end) is { } to && to < from)
            {
                FieldRules.Fail(context, end, "OutOfRange", $"'{end}' must not be before '{start}'.");
            }
        });
    }

    private static DateTimeOffset? Time(JsonObject doc, string name) =>
        doc[name] is JsonValue value && value.TryGetValue<string>(out var text) && FieldRules.TryParseTime(text, out var time) ? time : null;
}
