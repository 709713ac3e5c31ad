import Foundation

// The driver's view of the services' JSON: only the fields it reads or sends.

struct ScanRequest: Encodable {
    var dataset: String
    var manifest: String?
    var manifestPreset: String?

    init(_ request: PipelineDriver.Request) {
        dataset = request.dataset
        manifest = request.manifest
        manifestPreset = request.kaggleManifest ? "kaggle" : nil
    }

    enum CodingKeys: String, CodingKey {
        case dataset, manifest
        case manifestPreset = "manifest_preset"
    }
}

struct ScanResponse: Decodable {
    struct Image: Decodable {
        var id: String
    }

    var scanID: String
    var counts: [String: Int]
    var images: [Image]

    enum CodingKeys: String, CodingKey {
        case scanID = "scan_id"
        case counts, images
    }
}

struct SampleRequest: Encodable {
    var scanID: String
    var count: Int
    var seed: UInt64
    var verdicts: [String]

    enum CodingKeys: String, CodingKey {
        case scanID = "scan_id"
        case count, seed, verdicts
    }
}

struct SampleResponse: Decodable {
    struct Image: Decodable {
        var id: String
    }

    var sampleID: String
    var note: String?
    var images: [Image]

    enum CodingKeys: String, CodingKey {
        case sampleID = "sample_id"
        case note, images
    }
}

struct JobRequest: Encodable {
    var sampler: String
    var sampleID: String

    enum CodingKeys: String, CodingKey {
        case sampler
        case sampleID = "sample_id"
    }
}

struct JobStatus: Decodable {
    var id: String
    var status: String
    var total: Int
    var done: Int
    var failed: Int
    var error: String?
}

struct ModelRequest: Encodable {
    var captioner: String
    var jobID: String
    var sampler: String
    var methods: [String]

    enum CodingKeys: String, CodingKey {
        case captioner, sampler, methods
        case jobID = "job_id"
    }
}

/// The build route's answer, kept as flat strings for printing whatever the recommender reports.
struct ModelResponse: Decodable {
    var summary: [String: String]

    enum CodingKeys: String, CodingKey {
        case model
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let model = try container.decode([String: FlatValue].self, forKey: .model)
        summary = model.mapValues(\.text)
    }
}

/// Any JSON value, rendered as one line of text.
struct FlatValue: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self) {
            text = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            text = String(flag)
        } else if let list = try? container.decode([FlatValue].self) {
            text = list.map(\.text).joined(separator: ",")
        } else if let object = try? container.decode([String: FlatValue].self) {
            text = object.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.text)" }.joined(separator: ",")
        } else {
            text = "null"
        }
    }
}
