using System.CommandLine;
using Orlog.Client;
using Orlog.Partitions;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog produce TOPIC</c>: one record per line of stdin, as <c>kafka-console-producer</c>.</summary>
internal static class ProduceCommand
{
    private static readonly Argument<string> Topic = new("topic") { Description = "The topic to write to." };

    public static readonly Option<string> AcksOption = new("--acks")
    {
        Description = "When a record counts as sent: 0, 1 or all.",
        DefaultValueFactory = _ => "all",
    };

    public static Command Create()
    {
        var keySeparator = new Option<string?>("--key-separator") { Description = "Split each line into key and value at the first occurrence of this." };
        var command = new Command("produce", "Write the lines of standard input to a topic, one record each.") { Topic, keySeparator, AcksOption };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var topic = parse.GetValue(Topic)!;
            var separator = parse.GetValue(keySeparator);
            var config = CommonOptions.Connect(parse, new ProducerConfig { Acks = ParseAcks(parse.GetValue(AcksOption)!) });
            await using var producer = new ProducerBuilder<string?, string>(config).Build();
            var failures = 0;
            string? firstFailure = null;
            void OnDelivery(DeliveryReport<string?, string> report)
            {
                if (report.Error is { } error && Interlocked.Increment(ref failures) == 1)
                {
                    firstFailure = error.Message;
                }
            }

            while (Console.In.ReadLine() is { } line)
            {
                producer.Produce(topic, ToMessage(line, separator), OnDelivery);
            }

            await producer.FlushAsync();
            if (failures > 0)
            {
                Console.Error.WriteLine($"Error: {failures} record(s) were not delivered: {firstFailure}");
                return 1;
            }

            return 0;
        }));
        return command;
    }

    internal static Acks ParseAcks(string acks) => acks switch
    {
        "0" => Acks.None,
        "1" => Acks.Leader,
        "all" or "-1" => Acks.All,
        _ => throw new ArgumentException($"--acks takes 0, 1 or all; got '{acks}'."),
    };

    private static Message<string?, string> ToMessage(string line, string? separator)
    {
        if (separator is not null && line.IndexOf(separator, StringComparison.Ordinal) is var at and >= 0)
        {
            return new Message<string?, string> { Key = line[..at], Value = line[(at + separator.Length)..] };
        }

        return new Message<string?, string> { Key = null, Value = line };
    }
}
