// textembed-bench: times the native MiniLM encoder on a file of texts (one per line) and prints JSON.
//
//     textembed-bench --texts FILE [--model-dir DIR] [--queries N] [--rounds N] [--batch-rounds N] [--threads N]
//
// Single-query latency: every one of the first N texts encoded alone, `rounds` times; the median and p90 of all
// calls are reported. Batch: all texts through `encode(batch:)`, best of `batch-rounds` (default `rounds`). Used by
// scripts/benchmark_minilm.py, which runs sentence-transformers on the same texts for comparison.
import Foundation
import Tensors
import TextEmbedding

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard name.hasPrefix("--"), let value = arguments.popFirst() else {
        let usage =
            "usage: textembed-bench --texts FILE [--model-dir DIR] [--queries N] [--rounds N] "
            + "[--batch-rounds N] [--threads N]"
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
    options[String(name.dropFirst(2))] = value
}
guard let textsPath = options["texts"],
    let content = try? String(contentsOfFile: textsPath, encoding: .utf8)
else {
    FileHandle.standardError.write(Data("textembed-bench: --texts FILE is required and must be readable\n".utf8))
    exit(2)
}
let texts = content.split(separator: "\n").map(String.init)
let queryCount = min(Int(options["queries"] ?? "") ?? 200, texts.count)
let rounds = max(Int(options["rounds"] ?? "") ?? 3, 1)
let batchRounds = max(Int(options["batch-rounds"] ?? "") ?? rounds, 0)
BLAS.threadCount = Int(options["threads"] ?? "") ?? 2

/// CPU time used by the whole process so far (all threads), which contention from other processes barely moves.
func processCPUSeconds() -> Double {
    var usage = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
    return Double(usage.tv_sec) + Double(usage.tv_nsec) * 1e-9
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

let clock = ContinuousClock()
let loadStart = clock.now
let encoder: MiniLMEncoder
do {
    if let directory = options["model-dir"] {
        encoder = try MiniLMEncoder(directory: URL(fileURLWithPath: directory))
    } else {
        encoder = try MiniLMEncoder(cache: ModelCache())
    }
} catch {
    FileHandle.standardError.write(Data("textembed-bench: \(error)\n".utf8))
    exit(1)
}
let loadSeconds = seconds(clock.now - loadStart)

for text in texts.prefix(20) { _ = encoder.encode(text) }
var latencies: [Double] = []
let singleCPUStart = processCPUSeconds()
for _ in 0..<rounds {
    for text in texts.prefix(queryCount) {
        let start = clock.now
        _ = encoder.encode(text)
        latencies.append(seconds(clock.now - start))
    }
}
let singleCPUms = (processCPUSeconds() - singleCPUStart) * 1000 / Double(latencies.count)
latencies.sort()

var batchSeconds = Double.infinity
var batchCPUSeconds = Double.infinity
for _ in 0..<batchRounds {
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let embeddings = encoder.encode(batch: texts)
    batchSeconds = min(batchSeconds, seconds(clock.now - start))
    batchCPUSeconds = min(batchCPUSeconds, processCPUSeconds() - cpuStart)
    precondition(embeddings.count == texts.count)
}

let report: [String: Any] = [
    "engine": "swift",
    "threads": BLAS.threadCount,
    "load_s": loadSeconds,
    "single_median_ms": latencies[latencies.count / 2] * 1000,
    "single_p90_ms": latencies[latencies.count * 9 / 10] * 1000,
    "single_cpu_ms": singleCPUms,
    "single_calls": latencies.count,
    "batch_texts": texts.count,
    "batch_s": batchRounds > 0 ? batchSeconds : 0,
    "batch_cpu_s": batchRounds > 0 ? batchCPUSeconds : 0,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
