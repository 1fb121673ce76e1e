namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-1: the three authentication units a customer chooses between. The values are the IVR menu's digits (SS-3:
/// <c>1</c> line, <c>2</c> number, <c>3</c> admin/user).
/// </summary>
public enum AuthenticationUnit
{
    /// <summary>回線単位: log in with the contract number and manage every number of the contract.</summary>
    Line = 1,

    /// <summary>電話番号単位: log in with any one number and manage that number only.</summary>
    Number = 2,

    /// <summary>管理者／ユーザ単位: the contract number is the admin and manages all numbers; an additional number is a user.</summary>
    AdminUser = 3,
}
