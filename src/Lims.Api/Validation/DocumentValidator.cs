using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluentValidation;
using Lims.Collections;
using Lims.Errors;

namespace Lims.Validation;

/// <summary>Validates a document against its collection: field rules from the definition, then the collection's own rules.</summary>
public static class DocumentValidator
{
    private static readonly ConcurrentDictionary<CollectionDefinition, IValidator<JsonObject>[]> _validators = new();

    /// <summary>Every failing field of <paramref name="document"/>; targets are prefixed with <paramref name="prefix"/> (a batch index).</summary>
    public static List<ErrorDetail> Check(CollectionDefinition collection, JsonObject document, string prefix = "")
    {
        var validators = _validators.GetOrAdd(collection, c => [new FieldRules(c), .. c.Rules]);
        var details = new List<ErrorDetail>();
        foreach (var validator in validators)
        {
            var result = validator.Validate(document);
            if (!result.IsValid)
            {
                details.AddRange(result.Errors.Select(e => new ErrorDetail(e.ErrorCode, prefix + e.PropertyName, e.ErrorMessage)));
            }
        }
        return details;
    }

    public static void ThrowIfInvalid(List<ErrorDetail> details, string what)
    {
        if (details.Count > 0)
        {
            throw ApiException.BadRequest(
                details.Count == 1 ? details[0].Message : $"{what} has {details.Count} invalid fields: {string.Join("; ", details.Select(d => d.Message.TrimEnd('.')))}.",
                details);
        }
    }
}
