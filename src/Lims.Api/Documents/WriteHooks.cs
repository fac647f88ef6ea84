using Lims.Audit;
using Lims.Ingest;
using Lims.Workflow;

namespace Lims.Documents;

/// <summary>One write hook and the hooks whose effects it needs to see, which must run before it.</summary>
public sealed record WriteHookSlot(Type Hook, string Does, params Type[] Needs);

/// <summary>
/// The write hooks, in the order every document write runs them, declared here and nowhere else. Registration order
/// does not matter: <see cref="DocumentService"/> sorts the registered hooks by this list and refuses to start when a
/// hook is registered that the list does not name.
/// </summary>
public static class WriteHooks
{
    public static readonly IReadOnlyList<WriteHookSlot> Order =
    [
        new(typeof(WorkflowWriteHook),
            "Checks task and acquisition transitions, sets the fields they imply, records history and requests follow-up jobs."),
        new(typeof(TileRollupHook),
            "Moves the acquisition's tile roll-ups and quality blocks for tiles written one by one."),
        new(typeof(AuditWriteHook),
            "Records the write as stored, fields set by the hooks above included.",
            typeof(WorkflowWriteHook), typeof(TileRollupHook)),
    ];

    /// <summary>Registers every hook of <see cref="Order"/>.</summary>
    public static IServiceCollection AddLimsWriteHooks(this IServiceCollection services)
    {
        foreach (var slot in Order)
        {
            services.AddSingleton(typeof(IDocumentWriteHook), slot.Hook);
        }
        return services;
    }

    /// <summary><paramref name="hooks"/> in declared order; throws when one is not declared or a need is declared after its user.</summary>
    public static IReadOnlyList<IDocumentWriteHook> Sort(IEnumerable<IDocumentWriteHook> hooks)
    {
        var position = Order.Select((slot, i) => (slot.Hook, i)).ToDictionary(x => x.Hook, x => x.i);
        foreach (var (slot, i) in Order.Select((slot, i) => (slot, i)))
        {
            if (slot.Needs.FirstOrDefault(need => !position.TryGetValue(need, out var at) || at >= i) is { } late)
            {
                throw new InvalidOperationException($"{slot.Hook.Name} needs {late.Name} before it, but WriteHooks.Order does not put it there.");
            }
        }
        return [.. hooks.Select(hook => position.TryGetValue(hook.GetType(), out var at)
                ? (Hook: hook, At: at)
                : throw new InvalidOperationException($"{hook.GetType().Name} is a write hook that WriteHooks.Order does not list."))
            .OrderBy(x => x.At).Select(x => x.Hook)];
    }
}
