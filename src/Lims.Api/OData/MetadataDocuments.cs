using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Validation;

namespace Lims.OData;

/// <summary>The CSDL documents of the model, rendered once: XML (what Grafana and Power Query read) and JSON.</summary>
public sealed class MetadataDocuments
{
    public MetadataDocuments(IEdmModel model)
    {
        if (!model.Validate(out var validationErrors))
        {
            throw new InvalidOperationException("The EDM model is invalid: " + string.Join("; ", validationErrors.Select(e => e.ErrorMessage)));
        }
        Xml = RenderXml(model);
        Json = RenderJson(model);
    }

    public byte[] Xml { get; }
    public byte[] Json { get; }

    private static byte[] RenderXml(IEdmModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            if (!CsdlWriter.TryWriteCsdl(model, writer, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException(Describe(errors));
            }
        }
        return stream.ToArray();
    }

    private static byte[] RenderJson(IEdmModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (!CsdlWriter.TryWriteCsdl(model, writer, out var errors))
            {
                throw new InvalidOperationException(Describe(errors));
            }
        }
        return stream.ToArray();
    }

    private static string Describe(IEnumerable<EdmError> errors) => "CSDL could not be written: " + string.Join("; ", errors.Select(e => e.ErrorMessage));
}
