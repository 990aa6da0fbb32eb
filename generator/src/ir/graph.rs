//! The types and the names they refer to as a graph of indices, for the walks that find what a
//! group, a request or a result reaches ([`super::Api::type_features`], `Api::reach`) and which
//! references close a cycle (`lower::boxing`).

use super::visit::Reached;
use super::TypeDef;
use std::collections::BTreeMap;

/// The types and the names they refer to, as a graph of indices: the walks that find what a
/// group, a request or a result reaches visit each type many times, which on names meant string
/// comparisons at every step.
pub struct TypeGraph<'a> {
    /// Every name: the types' (sorted, the first [`TypeGraph::types`] nodes), then any name
    /// referred to that is no type.
    pub(super) names: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
    /// How many of the nodes are types.
    pub(super) types: usize,
    /// The nodes each type refers to.
    edges: Vec<Vec<usize>>,
}

impl<'a> TypeGraph<'a> {
    /// The graph of every reference.
    pub fn of(types: &'a [TypeDef]) -> Self {
        Self::of_refs(types, |_| true)
    }

    /// The graph of the references held by value (not through a list or a map).
    pub fn by_value(types: &'a [TypeDef]) -> Self {
        Self::of_refs(types, |r| r.by_value)
    }

    fn of_refs(types: &'a [TypeDef], keep: impl Fn(&Reached) -> bool) -> Self {
        // By name, the last of two types with one name wins, as in a map from names to types.
        let by_name: BTreeMap<&str, &TypeDef> =
            types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut graph = Self {
            names: by_name.keys().copied().collect(),
            index: by_name
                .keys()
                .enumerate()
                .map(|(i, name)| (*name, i))
                .collect(),
            types: by_name.len(),
            edges: vec![Vec::new(); by_name.len()],
        };
        for (from, def) in by_name.values().enumerate() {
            let mut names = Vec::new();
            def.walk(&mut |r| {
                if keep(&r) {
                    names.extend(r.ty.name());
                }
            });
            graph.edges[from] = graph.nodes(names);
        }
        graph
    }

    /// The nodes of `names`, new ones added.
    pub fn nodes(&mut self, names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        names
            .into_iter()
            .map(|name| match self.index.get(name) {
                Some(&node) => node,
                None => {
                    self.names.push(name);
                    self.edges.push(Vec::new());
                    self.index.insert(name, self.names.len() - 1);
                    self.names.len() - 1
                }
            })
            .collect()
    }

    /// The node of a type's name (`None` for a name no type has).
    pub fn node(&self, name: &str) -> Option<usize> {
        self.index
            .get(name)
            .copied()
            .filter(|&node| node < self.types)
    }

    /// Whether `to` is reachable from `from` (`from` itself included).
    pub fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![false; self.names.len()];
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if !std::mem::replace(&mut seen[node], true) {
                stack.extend(&self.edges[node]);
            }
        }
        false
    }

    /// The nodes reachable from `roots` (themselves included), in index order.
    pub(super) fn reached(&self, roots: &[usize]) -> impl Iterator<Item = usize> {
        let mut seen = vec![false; self.names.len()];
        let mut stack = roots.to_vec();
        while let Some(node) = stack.pop() {
            if !std::mem::replace(&mut seen[node], true) {
                stack.extend(&self.edges[node]);
            }
        }
        seen.into_iter()
            .enumerate()
            .filter(|(_, s)| *s)
            .map(|(node, _)| node)
    }
}
