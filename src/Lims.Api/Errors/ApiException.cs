namespace Lims.Errors;

/// <summary>One problem with a request, pointing at the field (target) it concerns.</summary>
public sealed record ErrorDetail(string Code, string Target, string Message);

/// <summary>A failure the client can act on; written as an OData error body with <see cref="Status"/>.</summary>
public sealed class ApiException(int status, string code, string message, IReadOnlyList<ErrorDetail>? details = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IReadOnlyList<ErrorDetail> Details { get; } = details ?? [];

    public static ApiException BadRequest(string message, IReadOnlyList<ErrorDetail>? details = null) => new(400, "BadRequest", message, details);
    public static ApiException NotFound(string message) => new(404, "NotFound", message);
    public static ApiException Conflict(string message, IReadOnlyList<ErrorDetail>? details = null) => new(409, "Conflict", message, details);
    public static ApiException PreconditionFailed(string message) => new(412, "PreconditionFailed", message);
    public static ApiException NotImplemented(string message) => new(501, "NotImplemented", message);
}
