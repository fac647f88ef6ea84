using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Lims.Settings;

/// <summary>
/// A configuration section read into an options class. Its keys, defaults and meanings are derived from the
/// class's properties (see <see cref="SettingAttribute"/>), so the README table, the start-up validation, the
/// <c>config</c> command and the packaging tests all follow the class.
/// </summary>
public abstract class SettingsSection
{
    /// <summary>The section's path (<c>Storage</c>, <c>Serilog:MinimumLevel</c>), or "" for keys at the root (<c>Urls</c>).</summary>
    public abstract string Path { get; }

    public abstract Type OptionsType { get; }

    public abstract IReadOnlyList<SettingDescriptor> Settings { get; }

    /// <summary>A section of the options class <typeparamref name="T"/> at <paramref name="path"/>.</summary>
    public static SettingsSection For<T>(string path) where T : class, new() => new SettingsSection<T>(path);

    /// <summary>Binds the options class, validates it with <see cref="Problems"/> and fails the start when invalid.</summary>
    public abstract void Register(IServiceCollection services);

    /// <summary>Every problem with this section's configured values, as messages an operator can act on.</summary>
    public abstract IReadOnlyList<string> Problems(IConfiguration configuration);

    public IConfiguration Of(IConfiguration configuration) => Path.Length == 0 ? configuration : configuration.GetSection(Path);
}

public sealed class SettingsSection<T>(string path) : SettingsSection where T : class, new()
{
    public override string Path { get; } = path;

    public override Type OptionsType => typeof(T);

    public override IReadOnlyList<SettingDescriptor> Settings { get; } = Describe(path, typeof(T), new T()).ToList();

    public override void Register(IServiceCollection services)
    {
        services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                try
                {
                    Of(configuration).Bind(options);
                }
                catch (InvalidOperationException)
                {
                    // A value the binder cannot convert: Problems names it, in an operator's words, when the options are validated.
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, Validator>(provider => new Validator(this, provider.GetRequiredService<IConfiguration>())));
    }

    public override IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (key, raw) in Of(configuration).AsEnumerable().Where(e => e.Value is not null && e.Key != Path).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // At the root only our own keys are checked: the environment holds many keys that are not ours.
            var setting = Settings.FirstOrDefault(s => s.Matches(key));
            if (setting is null && raw!.Length == 0 && Settings.Any(s => s.IsBelow(key)))
            {
                continue; // an empty section node, as the test host passes them ("--Storage=")
            }
            if (setting is null)
            {
                if (Path.Length > 0)
                {
                    problems.Add($"{key} is not a setting Lims reads (settings under {Path}: {string.Join(", ", Settings.Select(s => s.Key))})");
                }
                continue;
            }
            if (setting.Problem(key, raw!) is { } problem)
            {
                problems.Add(problem);
            }
        }
        if (problems.Count == 0)
        {
            problems.AddRange(CrossFieldProblems(configuration));
        }
        return problems;
    }

    /// <summary>Rules over several fields, from <see cref="IValidatableObject"/> on the bound options.</summary>
    private IEnumerable<string> CrossFieldProblems(IConfiguration configuration)
    {
        var options = new T();
        try
        {
            Of(configuration).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            return [e.Message]; // a value our checks let through but the binder refuses: still better stopped here
        }
        return options is IValidatableObject validatable
            ? validatable.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? "").Where(m => m.Length > 0)
            : [];
    }

    private static IEnumerable<SettingDescriptor> Describe(string prefix, Type type, object? defaults)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || IsDictionary(p.PropertyType, out _)))
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var setting = property.GetCustomAttribute<SettingAttribute>();
            var rules = property.GetCustomAttributes<ValidationAttribute>().ToList();
            var value = defaults is null ? null : property.GetValue(defaults);
            if (IsScalar(property.PropertyType))
            {
                yield return new SettingDescriptor(key, property.PropertyType, setting?.Default ?? Format(value), setting, rules);
            }
            else if (IsDictionary(property.PropertyType, out var entryType) || IsList(property.PropertyType, out entryType))
            {
                var entryKey = key + (IsList(property.PropertyType, out _) ? ":{n}" : ":{name}");
                if (IsScalar(entryType))
                {
                    yield return new SettingDescriptor(entryKey, entryType, setting?.Default ?? "(none)", setting, rules);
                }
                else
                {
                    foreach (var nested in Describe(entryKey, entryType, Activator.CreateInstance(entryType)))
                    {
                        yield return nested;
                    }
                }
            }
            else
            {
                foreach (var nested in Describe(key, property.PropertyType, value ?? Activator.CreateInstance(property.PropertyType)))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan);
    }

    private static bool IsDictionary(Type type, out Type entryType)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        entryType = dictionary?.GetGenericArguments()[1] ?? typeof(object);
        return dictionary is not null;
    }

    private static bool IsList(Type type, out Type itemType)
    {
        itemType = type.IsArray ? type.GetElementType()!
            : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : typeof(object);
        return type != typeof(string) && !IsDictionary(type, out _) && (type.IsArray || (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)));
    }

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class Validator(SettingsSection<T> section, IConfiguration configuration) : IValidateOptions<T>
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            section.Problems(configuration) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
