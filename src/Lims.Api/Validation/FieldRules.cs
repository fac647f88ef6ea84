using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;
using Lims.Collections;

namespace Lims.Validation;

/// <summary>
/// The rules every definition implies: types, required fields, enumerations, ranges and unique items,
/// checked recursively through structured values and lists. Unknown keys are allowed (types are open).
/// </summary>
public sealed class FieldRules : AbstractValidator<JsonObject>
{
    public FieldRules(CollectionDefinition collection)
    {
        var filledByServer = collection.Denormalised.Select(d => d.Field).ToHashSet();
        RuleFor(doc => doc).Custom((doc, context) =>
        {
            CheckField(collection.Key, doc, new(collection.Key.Name), context, requiredHere: collection.Key.Required && !collection.ServerAssignsKey);
            for (var i = 0; i < collection.Fields.Count; i++)
            {
                var field = collection.Fields[i];
                CheckField(field, doc, new(field.Name), context, requiredHere: field.Required && !filledByServer.Contains(field.Name));
            }
        });
    }

    private static void CheckField(FieldDefinition field, JsonObject container, Target target, ValidationContext<JsonObject> context, bool requiredHere)
    {
        if (!container.TryGetPropertyValue(field.Name, out var value) || value is null)
        {
            if (requiredHere)
            {
                Fail(context, target, "Required", $"'{field.Name}' is required.");
            }
            return;
        }
        CheckValue(field, field.Type, value, target, context);
    }

    private static void CheckValue(FieldDefinition field, FieldType type, JsonNode value, Target target, ValidationContext<JsonObject> context)
    {
        switch (type)
        {
            case PrimitiveType primitive:
                CheckPrimitive(field, primitive.Kind, value, target, context);
                break;
            case ComplexType complex when value is JsonObject obj:
                var fields = complex.Definition.Fields;
                for (var i = 0; i < fields.Count; i++)
                {
                    CheckField(fields[i], obj, target.Child(fields[i].Name), context, fields[i].Required);
                }
                break;
            case ComplexType:
                Fail(context, target, "InvalidType", $"'{target}' must be an object.");
                break;
            case ListType list when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null)
                    {
                        continue;
                    }
                    CheckValue(field, list.Element, array[i]!, target.Item(i), context);
                }
                if (field.UniqueItems && array.Select(v => v?.ToJsonString()).Distinct().Count() != array.Count)
                {
                    Fail(context, target, "DuplicateItems", $"'{target}' must not contain the same item twice.");
                }
                break;
            case ListType:
                Fail(context, target, "InvalidType", $"'{target}' must be an array.");
                break;
        }
    }

    private static void CheckPrimitive(FieldDefinition field, PrimitiveKind kind, JsonNode value, Target target, ValidationContext<JsonObject> context)
    {
        var element = value.GetValueKind();
        switch (kind)
        {
            case PrimitiveKind.String when element != JsonValueKind.String:
                Fail(context, target, "InvalidType", $"'{target}' must be a string.");
                return;
            case PrimitiveKind.String:
                if (field.AllowedValues is { } allowed && !allowed.Contains(value.GetValue<string>()))
                {
                    Fail(context, target, "InvalidValue", $"'{target}' must be one of: {string.Join(", ", allowed.Select(a => $"'{a}'"))}.");
                }
                return;
            case PrimitiveKind.Bool when element is not (JsonValueKind.True or JsonValueKind.False):
                Fail(context, target, "InvalidType", $"'{target}' must be true or false.");
                return;
            case PrimitiveKind.DateTime when element != JsonValueKind.String || !TryParseTime(value.GetValue<string>(), out _):
                Fail(context, target, "InvalidType", $"'{target}' must be an ISO 8601 date and time with offset, e.g. 2026-03-04T09:15:00Z.");
                return;
            case PrimitiveKind.Int or PrimitiveKind.Float when element != JsonValueKind.Number:
                Fail(context, target, "InvalidType", $"'{target}' must be a number.");
                return;
            case PrimitiveKind.Int when !IsInteger(value):
                Fail(context, target, "InvalidType", $"'{target}' must be a whole number.");
                return;
            case PrimitiveKind.Int or PrimitiveKind.Float:
                CheckRange(field, value.GetValue<double>(), target, context);
                return;
        }
    }

    private static void CheckRange(FieldDefinition field, double number, Target target, ValidationContext<JsonObject> context)
    {
        if (!double.IsFinite(number))
        {
            Fail(context, target, "OutOfRange", $"'{target}' must be a finite number.");
        }
        else if (field.Minimum is { } min && (field.ExclusiveMinimum ? number <= min : number < min))
        {
            Fail(context, target, "OutOfRange", $"'{target}' must be {(field.ExclusiveMinimum ? "greater than" : "at least")} {min.ToString(CultureInfo.InvariantCulture)}.");
        }
        else if (field.Maximum is { } max && number > max)
        {
            Fail(context, target, "OutOfRange", $"'{target}' must be at most {max.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    internal static bool IsInteger(JsonNode value) =>
        value.AsValue().TryGetValue<long>(out _) ||
        (value.AsValue().TryGetValue<double>(out var d) && Math.Abs(d) < 9e15 && Math.Floor(d) == d);

    internal static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && text.Contains('T', StringComparison.Ordinal);

    public static void Fail(ValidationContext<JsonObject> context, string target, string code, string message) =>
        context.AddFailure(new ValidationFailure(target, message) { ErrorCode = code });

    private static void Fail(ValidationContext<JsonObject> context, Target target, string code, string message) => Fail(context, target.ToString(), code, message);

    /// <summary>
    /// Where a value sits, e.g. <c>matcher[1]/dX</c>: a parent path with at most an index and a field name after
    /// it, spelled out only when a failure names it (valid documents are the rule, and bulk ingest checks millions).
    /// </summary>
    private readonly record struct Target(string Parent, int Index = -1, string? Name = null)
    {
        public Target Child(string name) => Name is null ? this with { Name = name } : new(ToString(), Name: name);

        public Target Item(int index) => Name is null && Index < 0 ? this with { Index = index } : new(ToString(), index);

        public override string ToString() =>
            (Index, Name) switch
            {
                ( < 0, null) => Parent,
                ( < 0, _) => $"{Parent}/{Name}",
                (_, null) => $"{Parent}[{Index}]",
                _ => $"{Parent}[{Index}]/{Name}",
            };
    }
}
