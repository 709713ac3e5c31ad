import Foundation

// The driver's view of the services' JSON: only the fields it reads or sends.

struct ModelRequest: Encodable {
    var captioner: String
    var jobID: String
    var sampler: String
    var methods: [String]?

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
