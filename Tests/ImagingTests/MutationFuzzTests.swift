import Foundation
import Testing

@testable import Imaging

/// Seeded mutation fuzzing of every image fixture: bit flips, overwritten length fields, deleted and
/// repeated ranges. Each damaged file goes through everything the sampler and the captioner do with an
/// image they did not make — the metadata reader, the stealth reader and the pixel decoder — twice.
/// A trap or a hang fails the run; reading the same bytes twice must give the same answer, which a C
/// library reading uninitialised memory or a shim leaking state between calls would break.
@Suite("Imaging: mutated fixtures")
struct MutationFuzzTests {
    /// Mutations per fixture (`IMGREC_FUZZ_MUTATIONS` asks for more in a longer run); the seed makes
    /// every run with the same count try the same files.
    static let mutationsPerFile = ProcessInfo.processInfo.environment["IMGREC_FUZZ_MUTATIONS"].flatMap(Int.init) ?? 40

    @Test(arguments: try Self.fixtureNames())
    func mutatedFixtureIsReadSafelyAndTheSameTwice(name: String) throws {
        let original = try MetadataTestSupport.bytes(at: Self.fixturesFolder.appendingPathComponent(name))
        var generator = TestGenerator(seed: Self.seed(for: name))
        let decoder = ImageDecoder(maxPixels: 4_000_000)
        var changed = 0
        for round in 0..<Self.mutationsPerFile {
            let mutated = Self.mutate(original, with: &generator)
            if mutated != original { changed += 1 }
            let first = Self.everything(mutated, decoder: decoder)
            let second = Self.everything(mutated, decoder: decoder)
            #expect(first == second, "\(name), mutation \(round): two reads of the same bytes differ")
        }
        #expect(changed > Self.mutationsPerFile / 2, "\(name): the mutations left the file as it was")
    }

    /// What the services learn from `bytes`: metadata (with stealth parameters looked for) or the
    /// reader's error, and the decoded image's size and a checksum of its pixels, or the decoder's error.
    static func everything(_ bytes: [UInt8], decoder: ImageDecoder) -> String {
        var summary: String
        do {
            var metadata = try MetadataReader.read(bytes)
            MetadataReader.readStealthParameters(bytes, into: &metadata, decoder: decoder)
            summary = "\(metadata)"
        } catch {
            summary = "metadata error: \(error)"
        }
        do {
            let image = try decoder.decode(bytes)
            let checksum = image.pixels.reduce(into: UInt64(14_695_981_039_346_656_037)) { hash, sample in
                hash = (hash ^ UInt64(sample)) &* 1_099_511_628_211
            }
            summary += " | \(image.width)x\(image.height) \(checksum)"
        } catch {
            summary += " | decode error: \(error)"
        }
        return summary
    }

    /// One to three edits of a kind real damage and hostile files produce.
    static func mutate(_ bytes: [UInt8], with generator: inout TestGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<(1 + Int(generator.next() % 3)) {
            guard !result.isEmpty else { break }
            let position = Int(generator.next() % UInt64(result.count))
            switch generator.next() % 5 {
            case 0:  // one flipped bit
                result[position] ^= 1 << UInt8(generator.next() % 8)
            case 1:  // a length or offset field overwritten with an extreme value
                let extremes: [[UInt8]] = [
                    [0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0x80, 0, 0, 1],
                ]
                let value = extremes[Int(generator.next() % UInt64(extremes.count))]
                for (offset, byte) in value.enumerated() where position + offset < result.count {
                    result[position + offset] = byte
                }
            case 2:  // a range deleted
                let end = min(result.count, position + 1 + Int(generator.next() % 64))
                result.removeSubrange(position..<end)
            case 3:  // a range repeated in place
                let end = min(result.count, position + 1 + Int(generator.next() % 64))
                result.insert(contentsOf: result[position..<end], at: end)
            default:  // random bytes
                for offset in 0..<Int(1 + generator.next() % 16) where position + offset < result.count {
                    result[position + offset] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
        }
        return result
    }

    static let fixturesFolder = MetadataTestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// Every JPEG, PNG and WebP of at most 256 KB in the fixture folders, as paths relative to
    /// `Tests/Fixtures`. The `metadata` folder's files are left out: each inflates megabytes of text by
    /// design, which makes thousands of reads slow, and tests of their own cover them.
    static func fixtureNames() throws -> [String] {
        let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]
        var names: [String] = []
        for folder in ["provenance", "stealth", "c2pa", "Decoding"] {
            let url = fixturesFolder.appendingPathComponent(folder)
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for entry in entries where imageExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                let size =
                    (try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(entry).path)[.size])
                if let size = size as? Int, size <= 256 * 1024 { names.append("\(folder)/\(entry)") }
            }
        }
        return names.sorted()
    }

    /// A seed per fixture, stable across runs and platforms (not `hashValue`, which is randomised).
    static func seed(for name: String) -> UInt64 {
        name.utf8.reduce(UInt64(0x243F_6A88_85A3_08D3)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
