/// Reassembles the JUMBF boxes that JPEG XT (ISO/IEC 18477-3) splits over APP11 segments. Each segment
/// holds the common identifier `JP`, a box instance number (u16), a packet sequence number (u32, from 1)
/// and then the box: the first packet carries LBox, TBox (and XLBox) and the start of the payload; every
/// later packet repeats that header and carries the next part of the payload.
///
/// Each box instance is capped on its own (`MetadataLimits.maxC2PABytes`, `maxC2PAPackets`), so a large
/// JUMBF box of another kind does not hide a C2PA store; all instances together are capped at four times
/// that, past which further packets are dropped.
struct JPEGXTAssembler {
    private var packets: [UInt16: [UInt32: [UInt8]]] = [:]
    /// Box instances in the order their first packet appeared, and whether any packet looked like C2PA.
    private var instances: [(number: UInt16, isC2PA: Bool)] = []
    private var bytesPerInstance: [UInt16: Int] = [:]
    private var overLimit: Set<UInt16> = []
    private var totalBytes = 0
    private var totalPackets = 0
    private var droppedPastTotal = false

    /// Keeps one APP11 segment (the bytes after the segment length); segments without the `JP`
    /// identifier, repeated packets and packets past the caps are ignored.
    mutating func add(_ segment: [UInt8], isC2PA: Bool) {
        let data = MetadataBytes(segment)
        guard data.matches(Array("JP".utf8), at: 0), let instance = data.u16(2, bigEndian: true),
            let sequence = data.u32(4, bigEndian: true), segment.count > 8
        else { return }
        if let index = instances.firstIndex(where: { $0.number == instance }) {
            instances[index].isC2PA = instances[index].isC2PA || isC2PA
        } else {
            instances.append((instance, isC2PA))
        }
        guard !overLimit.contains(instance), packets[instance, default: [:]][sequence] == nil else { return }
        guard totalBytes + segment.count - 8 <= 4 * MetadataLimits.maxC2PABytes,
            totalPackets < 4 * MetadataLimits.maxC2PAPackets
        else {
            droppedPastTotal = true
            return
        }
        let instanceBytes = bytesPerInstance[instance, default: 0] + segment.count - 8
        guard instanceBytes <= MetadataLimits.maxC2PABytes,
            packets[instance, default: [:]].count < MetadataLimits.maxC2PAPackets
        else {
            overLimit.insert(instance)
            totalBytes -= bytesPerInstance[instance, default: 0]
            totalPackets -= packets[instance]?.count ?? 0
            packets[instance] = nil
            return
        }
        bytesPerInstance[instance] = instanceBytes
        totalBytes += segment.count - 8
        totalPackets += 1
        packets[instance, default: [:]][sequence] = Array(segment.dropFirst(8))
    }

    /// How many box instances look like a C2PA manifest store.
    var c2paInstanceCount: Int { instances.filter(\.isC2PA).count }

    /// The reassembled boxes of every instance that looks like a C2PA manifest store, in the order they
    /// appeared; one that is over the caps or lacks a packet is left out with a warning.
    func c2paStores(warnings: inout [String]) -> [[UInt8]] {
        var stores: [[UInt8]] = []
        for instance in instances where instance.isC2PA {
            if overLimit.contains(instance.number) {
                warnings.append(
                    "jpeg: APP11 JUMBF box \(instance.number) is over \(MetadataLimits.maxC2PABytes) bytes or "
                        + "\(MetadataLimits.maxC2PAPackets) packets; C2PA not parsed")
                continue
            }
            guard let parts = packets[instance.number] else { continue }
            if let box = reassemble(instance.number, parts, warnings: &warnings) { stores.append(box) }
        }
        if droppedPastTotal {
            warnings.append(
                "jpeg: APP11 JUMBF data over \(4 * MetadataLimits.maxC2PABytes) bytes in all; later packets ignored")
        }
        return stores
    }

    private func reassemble(_ instance: UInt16, _ parts: [UInt32: [UInt8]], warnings: inout [String]) -> [UInt8]? {
        var box: [UInt8] = []
        for sequence in 1...UInt32(parts.count) {
            guard let part = parts[sequence] else {
                warnings.append("jpeg: APP11 JUMBF box \(instance) lacks packet \(sequence); C2PA not parsed")
                return nil
            }
            box += sequence == 1 ? part : Array(part.dropFirst(headerSize(part)))
        }
        return box
    }

    /// The size of the LBox/TBox/XLBox header a packet repeats.
    private func headerSize(_ part: [UInt8]) -> Int {
        MetadataBytes(part).u32(0, bigEndian: true) == 1 ? 16 : 8
    }
}
