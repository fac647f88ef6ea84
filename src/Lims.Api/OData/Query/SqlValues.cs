using System.Globalization;
using Lims.Validation;
using Microsoft.OData.Edm;

namespace Lims.OData.Query;

/// <summary>Converts OData literal values to the parameter values the stores compare against.</summary>
public static class SqlValues
{
    public static object? From(object? value) => value switch
    {
        null => null,
        DateTimeOffset time => DocumentNormalizer.FormatTime(time),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString(@"HH\:mm\:ss\.fffffff", CultureInfo.InvariantCulture),
#pragma warning disable CS0618 // ODL 8 still parses Edm.Date/TimeOfDay literals into these; ODL 9 gives DateOnly/TimeOnly.
        Date date => date.ToString(),
        TimeOfDay time => new TimeSpan(time.Ticks).ToString(@"hh\:mm\:ss\.fffffff", CultureInfo.InvariantCulture),
#pragma warning restore CS0618
        decimal d => (double)d,
        float f => (double)f,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        Guid g => g.ToString(),
        _ => value,
    };
}
