using Lims.Errors;
using Lims.OData;

namespace Lims.Auth;

/// <summary>Applies <see cref="AccessPolicy"/> to every parsed OData request.</summary>
public sealed class PolicyRequestAuthorizer : IRequestAuthorizer
{
    public Task AuthorizeAsync(ODataRequest request)
    {
        var user = request.Http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new ApiException(401, "Unauthorized", ApiKeyAuthenticationHandler.MissingKeyMessage);
        }
        var method = request.Http.Request.Method;
        var (shape, name) = RequestShapes.Of([.. request.Path]);
        var role = user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
        if (!AccessPolicy.Allows(role, method, request.Collection.EntitySet, shape, name))
        {
            var rule = AccessPolicy.RuleFor(method, request.Collection.EntitySet, shape, name);
            throw new ApiException(403, "Forbidden",
                $"The key '{user.Identity.Name}' has role '{role}', which may not {method} {request.Http.Request.Path}; " +
                $"allowed: {string.Join(", ", Roles.Names(rule.Allowed | RoleSet.Admin))}. {rule.Why}");
        }
        return Task.CompletedTask;
    }
}
