namespace Lims.OData.Query;

/// <summary>
/// A SELECT list that hands out the position of each column as it is added, so whoever reads the rows asks the
/// list where its column is instead of counting columns by hand (adding one cannot shift another read).
/// </summary>
public sealed class SelectList
{
    private readonly List<string> _items = [];

    public int Add(string expression, string? alias = null)
    {
        _items.Add(alias is null ? expression : $"{expression} AS {alias}");
        return _items.Count - 1;
    }

    public override string ToString() => string.Join(", ", _items);
}
