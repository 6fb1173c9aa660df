using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orlog.Client;
using Orlog.Errors;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog consume TOPIC</c>: print records, one per line, as <c>kafka-console-consumer</c>.</summary>
internal static class ConsumeCommand
{
    private static readonly Argument<string> Topic = new("topic") { Description = "The topic to read." };

    public static Command Create()
    {
        var group = new Option<string?>("--group") { Description = "Consume as a member of this consumer group: the group assigns partitions and keeps the offsets (committed on exit)." };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the earliest offset instead of the end (with --group: where the group has committed nothing)." };
        var partition = new Option<int?>("--partition") { Description = "Read only this partition." };
        var offset = new Option<string?>("--offset") { Description = "With --partition: start here (a number, earliest or latest)." };
        var maxMessages = new Option<long?>("--max-messages") { Description = "Exit after this many records." };
        var timeoutMs = new Option<int?>("--timeout-ms") { Description = "Exit when no record arrives for this long." };
        var printKey = new Option<bool>("--print-key") { Description = "Print the key before the value (tab separated)." };
        var printPartition = new Option<bool>("--print-partition") { Description = "Print the partition." };
        var printOffset = new Option<bool>("--print-offset") { Description = "Print the offset." };
        var printTimestamp = new Option<bool>("--print-timestamp") { Description = "Print the timestamp (ms since the Unix epoch)." };
        var properties = new Option<string[]>("--consumer-property") { Description = "A consumer setting by its Kafka name, key=value (session.timeout.ms=10000); repeatable." };
        var command = new Command("consume", "Print the records of a topic, value only by default.")
        {
            Topic, group, fromBeginning, partition, offset, maxMessages, timeoutMs, printKey, printPartition, printOffset, printTimestamp, properties,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var topic = parse.GetValue(Topic)!;
            var groupId = parse.GetValue(group);
            var config = CommonOptions.Connect(parse, new ConsumerConfig());
            ConsumerProperties.Apply(config, parse.GetValue(properties) ?? []);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
            using var consumer = groupId is null
                ? Assigned(config, topic, StartOffset(parse.GetValue(fromBeginning), parse.GetValue(offset), parse.GetValue(partition)), await PartitionsAsync(parse, topic, parse.GetValue(partition)))
                : await SubscribedAsync(parse, config, topic, groupId, parse.GetValue(fromBeginning), parse.GetValue(partition), parse.GetValue(offset), output);
            var format = new RecordFormat(parse.GetValue(printTimestamp), parse.GetValue(printPartition), parse.GetValue(printOffset), parse.GetValue(printKey));
            var limit = parse.GetValue(maxMessages) ?? long.MaxValue;
            TimeSpan? wait = parse.GetValue(timeoutMs) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
            var lastCommit = Stopwatch.GetTimestamp();
            for (long count = 0; count < limit; count++)
            {
                var result = consumer.Consume(TimeSpan.Zero);
                if (result is null)
                {
                    // Nothing ready: show what was printed (and commit it) before waiting.
                    await output.FlushAsync(CancellationToken.None);
                    if (groupId is not null && Stopwatch.GetElapsedTime(lastCommit).TotalMilliseconds >= config.AutoCommitIntervalMs)
                    {
                        FlushThenCommit(output, consumer, consumer.Assignment);
                        lastCommit = Stopwatch.GetTimestamp();
                    }

                    result = Next(consumer, wait, cancellationToken);
                }

                if (result is null)
                {
                    break;
                }

                output.WriteLine(format.Format(result));
                if (groupId is not null && Stopwatch.GetElapsedTime(lastCommit).TotalMilliseconds >= config.AutoCommitIntervalMs)
                {
                    FlushThenCommit(output, consumer, consumer.Assignment);
                    lastCommit = Stopwatch.GetTimestamp();
                }
                else if (count % 1000 == 0)
                {
                    await output.FlushAsync(CancellationToken.None);
                }
            }

            await output.FlushAsync(CancellationToken.None);
            if (groupId is not null)
            {
                FlushThenCommit(output, consumer, consumer.Assignment);
            }

            // In a group: leaves at once, so the partitions move to the other members without waiting for a session timeout.
            consumer.Close();
            return 0;
        }));
        return command;
    }

    private static IConsumer<string?, string> Assigned(ConsumerConfig config, string topic, Offset start, IReadOnlyList<int> partitions)
    {
        var consumer = new ConsumerBuilder<string?, string>(config).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, start)));
        return consumer;
    }

    /// <summary>Joins the group for <paramref name="topic"/>; <c>--from-beginning</c> is Kafka's auto.offset.reset=earliest.</summary>
    /// <remarks>
    /// The CLI commits by itself, every auto.commit.interval.ms and before partitions are revoked,
    /// and always after flushing what it printed: an offset is committed only once its line is out,
    /// so a consumer killed at any moment loses no line (at least once, for the reader of stdout).
    /// </remarks>
    private static async Task<IConsumer<string?, string>> SubscribedAsync(ParseResult parse, ConsumerConfig config, string topic, string groupId, bool fromBeginning, int? partition, string? offset, StreamWriter output)
    {
        if (partition is not null || offset is not null)
        {
            throw new ArgumentException("--partition and --offset cannot be used with --group: the group assigns the partitions and keeps the offsets.");
        }

        // Fail fast on a topic that does not exist, as without --group, instead of waiting for partitions that never come.
        _ = await CommonOptions.PartitionCountAsync(parse, topic);
        config.GroupId = groupId;
        config.AutoOffsetReset = fromBeginning ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest;
        config.EnableAutoCommit = false;
        var consumer = new ConsumerBuilder<string?, string>(config)
            .SetPartitionsRevokedHandler((c, revoked) => FlushThenCommit(output, c, [.. revoked.Select(r => r.TopicPartition)]))
            .Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    /// <summary>Flushes the printed lines, then commits the positions of <paramref name="partitions"/> that have one.</summary>
    private static void FlushThenCommit(StreamWriter output, IConsumer<string?, string> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        output.Flush();
        var positions = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            if (consumer.Position(partition) is { Value: >= 0 } position)
            {
                positions.Add(new TopicPartitionOffset(partition, position));
            }
        }

        if (positions.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(positions);
        }
        catch (OrlogException error)
        {
            // Not fatal: the records since the last commit are read again by whoever gets the partitions.
            Console.Error.WriteLine($"Warning: committing offsets failed: {error.Message}");
        }
    }

    /// <summary>The next record; null after <paramref name="wait"/> without one, or when the command is cancelled (Ctrl+C).</summary>
    private static ConsumeResult<string?, string>? Next(IConsumer<string?, string> consumer, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait is { } timeout)
        {
            return consumer.Consume(timeout);
        }

        try
        {
            return consumer.Consume(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Offset StartOffset(bool fromBeginning, string? offset, int? partition)
    {
        if (offset is null)
        {
            return fromBeginning ? Offset.Beginning : Offset.End;
        }

        if (partition is null)
        {
            throw new ArgumentException("--offset needs --partition.");
        }

        return offset switch
        {
            "earliest" => Offset.Beginning,
            "latest" => Offset.End,
            _ when long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new ArgumentException($"--offset takes a number, earliest or latest; got '{offset}'."),
        };
    }

    private static async Task<IReadOnlyList<int>> PartitionsAsync(ParseResult parse, string topic, int? only)
    {
        var count = await CommonOptions.PartitionCountAsync(parse, topic);
        if (only is { } partition)
        {
            return partition >= 0 && partition < count
                ? [partition]
                : throw new ArgumentException($"Topic '{topic}' has partitions 0 to {count - 1}; there is no partition {partition}.");
        }

        return [.. Enumerable.Range(0, count)];
    }

    /// <summary>Which fields a printed record has, tab separated, value last.</summary>
    private sealed record RecordFormat(bool Timestamp, bool Partition, bool Offset, bool Key)
    {
        public string Format(ConsumeResult<string?, string> result)
        {
            if (!Timestamp && !Partition && !Offset && !Key)
            {
                return result.Message.Value;
            }

            var line = new StringBuilder();
            if (Timestamp)
            {
                line.Append(CultureInfo.InvariantCulture, $"CreateTime:{result.Message.Timestamp.UnixTimestampMs}\t");
            }

            if (Partition)
            {
                line.Append(CultureInfo.InvariantCulture, $"Partition:{result.Partition}\t");
            }

            if (Offset)
            {
                line.Append(CultureInfo.InvariantCulture, $"Offset:{result.Offset.Value}\t");
            }

            if (Key)
            {
                line.Append(result.Message.Key ?? "null").Append('\t');
            }

            return line.Append(result.Message.Value).ToString();
        }
    }
}
