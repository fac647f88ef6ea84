using System.Text.Json.Nodes;

namespace Lims.Documents;

/// <summary>PATCH semantics: objects merge recursively, anything else (arrays included) replaces, null clears.</summary>
public static class JsonMergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
