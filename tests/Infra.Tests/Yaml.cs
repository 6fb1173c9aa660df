using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Orlog.Infra;

/// <summary>YAML files as plain trees (mappings, lists, scalars as strings) and a dotted-path lookup into them.</summary>
internal static partial class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of the file.</summary>
    public static List<Dictionary<object, object>> Documents(string path) => Parse(File.ReadAllText(path));

    /// <summary>Every document of <paramref name="text"/>.</summary>
    public static List<Dictionary<object, object>> Parse(string text)
    {
        var documents = new List<Dictionary<object, object>>();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<Dictionary<object, object>?>(parser) is { } document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>The node at <paramref name="path"/> (keys joined by dots), or null when a key is missing.</summary>
    public static object? At(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<object, object> mapping || !mapping.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(object? node, string path) => At(node, path) as string;

    public static List<Dictionary<object, object>> Items(object? node, string path) =>
        At(node, path) is List<object> list ? [.. list.OfType<Dictionary<object, object>>()] : [];

    /// <summary>A <c>${NAME}</c> reference that azd replaces with an environment value when it applies the manifests.</summary>
    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    public static partial Regex Variable();
}
