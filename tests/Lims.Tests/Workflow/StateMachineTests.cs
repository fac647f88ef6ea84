using Lims.Collections.Definitions;
using Lims.Errors;
using Lims.Workflow;

namespace Lims.Tests.Workflow;

/// <summary>The two tables, pair by pair: exactly the listed moves are legal, every other one is a 409 naming both statuses.</summary>
public class StateMachineTests
{
    public static readonly string[] LegalTask =
    [
        "Planned>In Progress", "Planned>Aborted", "In Progress>Completed", "In Progress>Planned", "In Progress>Failed",
        "In Progress>Aborted", "Failed>Planned",
    ];

    public static readonly string[] LegalAcquisition =
    [
        "imaging>acquired", "imaging>failed", "imaging>aborted", "acquired>qc-pending", "acquired>failed", "acquired>aborted",
        "qc-pending>qc-passed", "qc-pending>failed", "qc-pending>to be re-imaged", "qc-pending>aborted",
    ];

    public static TheoryData<string, string, bool> TaskPairs() => Pairs(AcquisitionTasks.Statuses, LegalTask);

    public static TheoryData<string, string, bool> AcquisitionPairs() => Pairs(Acquisitions.Statuses, LegalAcquisition);

    private static TheoryData<string, string, bool> Pairs(string[] statuses, string[] legal)
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var from in statuses)
        {
            foreach (var to in statuses.Where(s => s != from))
            {
                data.Add(from, to, legal.Contains($"{from}>{to}"));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TaskPairs))]
    public void Task_transition_is_legal_only_when_listed(string from, string to, bool legal) => AssertPair(Lifecycles.Task, from, to, legal);

    [Theory]
    [MemberData(nameof(AcquisitionPairs))]
    public void Acquisition_transition_is_legal_only_when_listed(string from, string to, bool legal) => AssertPair(Lifecycles.Acquisition, from, to, legal);

    [Fact]
    public void Terminal_statuses_are_the_final_ones_of_the_notes()
    {
        Assert.Equal(["Completed", "Aborted"], Lifecycles.Task.Terminal);
        Assert.Equal(["qc-passed", "failed", "to be re-imaged", "aborted"], Lifecycles.Acquisition.Terminal);
    }

    private static void AssertPair(StateMachine machine, string from, string to, bool legal)
    {
        Assert.Equal(legal, machine.Allows(from, to));
        if (legal)
        {
            machine.Check(from, to);
            return;
        }
        var error = Assert.Throws<ApiException>(() => machine.Check(from, to));
        Assert.Equal(409, error.Status);
        Assert.Contains($"from '{from}' to '{to}'", error.Message, StringComparison.Ordinal);
    }
}
