// n8n loads this package's nodes and credentials from the `n8n` block of package.json.
module.exports = {};
