import Foundation

extension SafeTensors {
    static func parseHeader(
        _ header: Data, path: String
    ) throws -> (metadata: [String: String], tensors: [String: TensorInfo]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw TensorError(.malformedHeader, "\(path): header is not valid JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw TensorError(.malformedHeader, "\(path): header is not a JSON object")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, entry) in entries {
            if name == "__metadata__" {
                guard let strings = entry as? [String: String] else {
                    throw TensorError(.malformedHeader, "\(path): __metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            tensors[name] = try parseEntry(name: name, entry: entry, path: path)
        }
        return (metadata, tensors)
    }

    private static func parseEntry(name: String, entry: Any, path: String) throws -> TensorInfo {
        guard let fields = entry as? [String: Any] else {
            throw TensorError(.malformedHeader, "\(path): tensor '\(name)' entry is not an object")
        }
        guard let typeName = fields["dtype"] as? String else {
            throw TensorError(.malformedHeader, "\(path): tensor '\(name)' has no dtype")
        }
        guard let type = ElementType(rawValue: typeName) else {
            throw TensorError(.unsupportedType, "\(path): tensor '\(name)' has unknown dtype '\(typeName)'")
        }
        guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(.malformedHeader, "\(path): tensor '\(name)' has no valid shape")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2,
            offsets[0] >= 0, offsets[0] <= offsets[1]
        else {
            throw TensorError(.invalidOffsets, "\(path): tensor '\(name)' has invalid data_offsets")
        }

        let (count, overflow) = shape.reduce((1, false)) { partial, dimension in
            let product = partial.0.multipliedReportingOverflow(by: dimension)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow, offsets[1] - offsets[0] == count * type.size else {
            throw TensorError(
                .invalidOffsets,
                "\(path): tensor '\(name)' spans \(offsets[1] - offsets[0]) bytes "
                    + "but shape \(shape) of \(typeName) needs \(count * type.size)")
        }
        return TensorInfo(name: name, type: type, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [NSNumber] else { return nil }
        var result: [Int] = []
        for number in numbers {
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 1e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }

    /// Checks that the tensors' byte ranges, sorted by start, tile the data section with no gap or overlap.
    static func validateOffsets(_ tensors: [String: TensorInfo], dataSize: Int, path: String) throws {
        var end = 0
        let ordered = tensors.values.sorted {
            ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name)
        }
        for info in ordered {
            guard info.byteRange.lowerBound == end else {
                let problem = info.byteRange.lowerBound < end ? "overlaps the previous tensor" : "leaves a gap"
                throw TensorError(
                    .invalidOffsets,
                    "\(path): tensor '\(info.name)' at byte \(info.byteRange.lowerBound) \(problem)")
            }
            end = info.byteRange.upperBound
        }
        guard end == dataSize else {
            throw TensorError(
                .invalidOffsets,
                "\(path): tensors cover \(end) bytes but the data section has "
                    + "\(dataSize)")
        }
    }
}
