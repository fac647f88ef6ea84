using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Api;
using Lims.Collections.Definitions;
using Lims.Errors;
using Lims.OData;
using Lims.Storage;
using Microsoft.OData.Edm;

namespace Lims.Auth;

/// <summary>
/// Key management under <c>/odata/ApiKeys</c> (admins only, by <see cref="AccessPolicy"/>): POST <c>{name, role}</c>
/// creates a key and answers it once; DELETE or the bound action <c>Lims.Revoke</c> revokes one. Reads are the
/// generic read-only collection's; the key's hash lives elsewhere, so no query can return it.
/// </summary>
public sealed class ApiKeysExtension(ApiKeyService keys) : IODataExtension
{
    public const string RevokeAction = "Revoke";

    public void ExtendModel(EdmModel model, EdmEntityContainer container)
    {
        var type = (IEdmEntityType)model.FindDeclaredType($"{EdmModelBuilder.Namespace}.{ApiKeys.Definition.EntityType}");
        var revoke = new EdmAction(EdmModelBuilder.Namespace, RevokeAction, returnType: null, isBound: true, entitySetPathExpression: null);
        revoke.AddParameter("bindingParameter", new EdmEntityTypeReference(type, isNullable: false));
        model.AddElement(revoke);
    }

    public async Task<bool> TryHandleAsync(ODataRequest request)
    {
        if (request.Collection != ApiKeys.Definition)
        {
            return false;
        }
        var (shape, name) = RequestShapes.Of([.. request.Path]);
        var method = request.Http.Request.Method;
        switch (shape)
        {
            case RouteShape.Collection when HttpMethods.IsPost(method):
                await CreateAsync(request);
                return true;
            case RouteShape.Entity when HttpMethods.IsDelete(method):
                await keys.RevokeAsync((string)request.Key!, request.Actor, request.Http.RequestAborted);
                request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
                return true;
            case RouteShape.Action when HttpMethods.IsPost(method) && name == $"{EdmModelBuilder.Namespace}.{RevokeAction}":
                await keys.RevokeAsync((string)request.Key!, request.Actor, request.Http.RequestAborted);
                request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
                return true;
            default:
                return false;
        }
    }

    private async Task CreateAsync(ODataRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Http.Request);
        var unexpected = body.Select(p => p.Key).Where(k => k is not ("name" or "role")).ToList();
        if (unexpected.Count > 0)
        {
            throw ApiException.BadRequest($"A key is created from 'name' and 'role' only; remove {string.Join(", ", unexpected.Select(u => $"'{u}'"))}.",
                [.. unexpected.Select(u => new ErrorDetail("Unexpected", u, $"'{u}' cannot be set."))]);
        }
        var name = Text(body, "name");
        var role = Text(body, "role");
        var (stored, key) = await keys.CreateAsync(name, role, request.Actor, request.Http.RequestAborted);
        var shown = (JsonObject)stored.Document.DeepClone();
        shown["key"] = key;
        request.Http.Response.Headers.Location = EntityResponses.EntityUrl(request.ServiceRoot, ApiKeys.Definition, name);
        request.Http.Response.Headers.CacheControl = "no-store";
        await EntityResponses.WriteEntityAsync(request.Http, request.ServiceRoot, ApiKeys.Definition, new StoredDocument(shown, stored.Version), 201);
    }

    private static string Text(JsonObject body, string field) =>
        body[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw ApiException.BadRequest($"'{field}' is required and must be a string.", [new("Required", field, $"'{field}' is required and must be a string.")]);
}
