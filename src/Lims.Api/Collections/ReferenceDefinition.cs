namespace Lims.Collections;

/// <summary>
/// A field holding another collection's key. <see cref="Navigation"/> and <see cref="ReverseNavigation"/>
/// name the OData navigation properties on both ends.
/// </summary>
public sealed record ReferenceDefinition(string Field, string Target, string Navigation, string ReverseNavigation);

/// <summary>
/// A denormalised copy: <see cref="Field"/> must equal <see cref="SourceField"/> of the document that
/// <see cref="Via"/> references. Filled in when omitted, a contradiction is rejected.
/// </summary>
public sealed record DenormalisedField(string Field, string Via, string SourceField);
