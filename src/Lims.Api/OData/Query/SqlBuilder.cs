using System.Data.Common;
using Lims.Storage;

namespace Lims.OData.Query;

/// <summary>Collects the parameters of one statement; every value reaches SQL as a parameter, never as text.</summary>
public sealed class SqlBuilder(SqlDialect dialect)
{
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly List<(string Name, IReadOnlyCollection<object> Values, Collections.PrimitiveKind Kind)> _lists = [];

    public SqlDialect Dialect { get; } = dialect;

    private int _aliases;

    /// <summary>A fresh table alias for a sub-query (t1, t2, ...).</summary>
    public string NextAlias() => $"t{++_aliases}";

    public string Parameter(object? value)
    {
        var name = $"@p{_parameters.Count + _lists.Count}";
        _parameters.Add((name, value));
        return name;
    }

    public string ListParameter(IReadOnlyCollection<object> values, Collections.PrimitiveKind kind)
    {
        var name = $"@p{_parameters.Count + _lists.Count}";
        _lists.Add((name, values, kind));
        return name;
    }

    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            StoreSession.Add(command, name, value);
        }
        foreach (var (name, values, kind) in _lists)
        {
            Dialect.AddListParameter(command, name, values, kind);
        }
    }
}
