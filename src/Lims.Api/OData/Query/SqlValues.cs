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
        Date date => date.ToString(),
        TimeOfDay time => new TimeSpan(time.Ticks).ToString(@"hh\:mm\:ss\.fffffff", System.Globalization.CultureInfo.InvariantCulture),
        decimal d => (double)d,
        float f => (double)f,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        Guid g => g.ToString(),
        _ => value,
    };
}
