// Times the ViT-GPT2 engine for scripts/benchmark_vitgpt2.py and prints one JSON line.
//
//     vitgpt2-bench MODEL_DIR RGB_FILE WIDTH HEIGHT RUNS MAX_LENGTH
import Foundation
import VitGPT2

let arguments = CommandLine.arguments
guard arguments.count == 7, let width = Int(arguments[3]), let height = Int(arguments[4]),
    let runs = Int(arguments[5]), let maxLength = Int(arguments[6])
else {
    FileHandle.standardError.write(Data("usage: vitgpt2-bench MODEL_DIR RGB_FILE WIDTH HEIGHT RUNS MAX_LENGTH\n".utf8))
    exit(2)
}

/// The process's peak resident memory in MiB (`VmHWM` from /proc/self/status).
func peakResidentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

do {
    var model: VitGPT2Model?
    let loadSeconds = try seconds { model = try VitGPT2Model(directory: URL(fileURLWithPath: arguments[1])) }
    let rgb = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
    var report: [String: Any] = ["load_s": loadSeconds]
    for (name, beams) in [("greedy", 1), ("beam4", 4)] {
        let options = GenerationOptions(numBeams: beams, maxLength: maxLength)
        var generation = try model!.generate(rgb: rgb, width: width, height: height, options: options)
        let total = try seconds {
            for _ in 0..<runs {
                generation = try model!.generate(rgb: rgb, width: width, height: height, options: options)
            }
        }
        report["\(name)_s"] = total / Double(runs)
        report["\(name)_tokens"] = generation.tokenIDs
    }
    report["peak_rss_mib"] = peakResidentMiB()
    let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("vitgpt2-bench: \(error)\n".utf8))
    exit(1)
}
