using Lims.Quality;

namespace Lims.Tests.Quality;

public sealed class OrderStatisticsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(7, 2)]
    [InlineData(1000, 3)]
    [InlineData(4097, 4)]
    public void Percentiles_by_selection_equal_interpolation_over_the_sorted_values(int count, int seed)
    {
        var random = new Random(seed);
        // Few distinct values, so ties are common; some runs arrive sorted, as blocks do.
        var values = Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 20) / 10).ToArray();
        if (seed % 2 == 0)
        {
            Array.Sort(values);
        }
        var sorted = values.Order().ToArray();
        foreach (var fraction in new[] { 0.0, 0.05, 0.5, 0.95, 1.0 })
        {
            var position = fraction * (count - 1);
            var lower = (int)Math.Floor(position);
            var expected = sorted[lower] + ((sorted[Math.Min(lower + 1, count - 1)] - sorted[lower]) * (position - lower));
            Assert.Equal(expected, OrderStatistics.Percentile((double[])values.Clone(), fraction)!.Value, 12);
        }
        Assert.Equal(sorted.Count(v => v < 1.0), OrderStatistics.CountBelow(sorted, 1.0));
    }

    [Fact]
    public void No_values_have_no_percentile() => Assert.Null(OrderStatistics.Percentile([], 0.5));
}
