using Lims.Errors;

namespace Lims.Workflow;

/// <summary>One allowed move of a status field, and who makes it (for the README and error messages).</summary>
public sealed record Transition(string From, string To, string By);

/// <summary>
/// A status field's lifecycle as data: the allowed transitions and the terminal statuses. Every write of the
/// field (PATCH, PUT, actions, jobs) is checked against this one table by <see cref="WorkflowWriteHook"/>.
/// </summary>
public sealed class StateMachine(string entitySet, string field, IReadOnlyList<string> statuses, IReadOnlyList<Transition> transitions)
{
    private readonly HashSet<(string, string)> _allowed = [.. transitions.Select(t => (t.From, t.To))];

    public string EntitySet { get; } = entitySet;
    public string Field { get; } = field;
    public IReadOnlyList<string> Statuses { get; } = statuses;
    public IReadOnlyList<Transition> Transitions { get; } = transitions;

    /// <summary>Statuses with no way out.</summary>
    public IEnumerable<string> Terminal => Statuses.Where(s => !Transitions.Any(t => t.From == s));

    public bool IsTerminal(string status) => !Transitions.Any(t => t.From == status);

    public bool Allows(string from, string to) => from == to || _allowed.Contains((from, to));

    /// <summary>409 naming both statuses when <paramref name="from"/> → <paramref name="to"/> is not in the table.</summary>
    public void Check(string from, string to)
    {
        if (Allows(from, to))
        {
            return;
        }
        var next = Transitions.Where(t => t.From == from).Select(t => $"'{t.To}'").ToList();
        var allowed = next.Count == 0 ? $"'{from}' is final" : $"from '{from}' it may go to {string.Join(", ", next)}";
        throw new ApiException(409, "IllegalTransition", $"{EntitySet} {Field} cannot change from '{from}' to '{to}': {allowed}.",
            [new("IllegalTransition", Field, $"'{from}' → '{to}' is not a transition of {EntitySet}.")]);
    }
}
