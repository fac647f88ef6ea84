namespace Lims.Quality;

/// <summary>Exact percentiles of many values without sorting them all: selection in linear expected time.</summary>
public static class OrderStatistics
{
    /// <summary>
    /// The percentile <paramref name="fraction"/> (0..1) of <paramref name="values"/>, interpolated linearly between the
    /// two nearest ranks as PostgreSQL's percentile_cont does; null when there are none. Reorders the array.
    /// </summary>
    public static double? Percentile(double[] values, double fraction)
    {
        if (values.Length == 0)
        {
            return null;
        }
        var position = fraction * (values.Length - 1);
        var lower = (int)Math.Floor(position);
        var low = Select(values, lower);
        // After selecting rank k, everything right of k is at least as large: the next rank is their minimum.
        var high = lower + 1 < values.Length ? Min(values.AsSpan(lower + 1)) : low;
        return low + ((high - low) * (position - lower));
    }

    /// <summary>How many of the sorted <paramref name="sorted"/> are below <paramref name="limit"/>.</summary>
    public static int CountBelow(ReadOnlySpan<double> sorted, double limit)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < limit)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>The value of rank <paramref name="k"/> (0-based), leaving smaller values left of it and larger ones right (Hoare's selection).</summary>
    private static double Select(double[] a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (left < right)
        {
            // Median of three as the pivot keeps sorted or nearly sorted input (blocks arrive sorted) linear.
            var mid = left + ((right - left) / 2);
            var pivot = Median(a[left], a[mid], a[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }
                while (a[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }
        return a[k];
    }

    private static double Median(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private static double Min(ReadOnlySpan<double> values)
    {
        var min = values[0];
        foreach (var v in values)
        {
            min = Math.Min(min, v);
        }
        return min;
    }
}
