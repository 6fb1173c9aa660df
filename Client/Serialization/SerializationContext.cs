namespace Orlog.Client;

/// <summary>What a serializer is given besides the data: the part, the topic and the headers.</summary>
public readonly record struct SerializationContext(MessageComponentType Component, string Topic, Headers? Headers = null);
